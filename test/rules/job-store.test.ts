// What a batch job reads as, whoever asks and whatever happened to the emulator: the rules a job's state keeps
// (src/emulator/jobs/store.ts) driven through the SDK, the admin routes and the emulator's clock. From AWS's
// GetModelInvocationJob documentation (service model): `endTime` is "the time at which the batch inference job
// ended", `jobExpirationTime` "the time at which the batch inference job times or timed out", `lastModifiedTime` "the
// time at which the batch inference job was last modified"; an InternalServerException is an HTTP 500. From the
// emulator's own promises (README): `manual` timing holds each state an hour of the emulator's clock, a job's
// progress is checkpointed per finished output file, and a restart resumes every unfinished job from its checkpoints.
// A save that fails is made with a SQLite trigger on the data dir's state file, opened by the test (a full disk
// fails every write; a trigger fails only the writes the test names, so the emulator stays usable around them).
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand, StopModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/harness.js';
import { claude, putJsonl, readText, ROLE, startEmulatorForTest } from '../jobs/helpers.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NO_ROOM = 'no room for this write (test)';

type Emu = Awaited<ReturnType<typeof startEmulatorForTest>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An emulator on `dataDir` (a new temp dir by default), stopped after the test; the dir is removed once. */
async function emulator(patch: object, dataDir?: string): Promise<Emu> {
  const fresh = !dataDir;
  const emu = await startEmulatorForTest({ timing: 'manual', quotas: { minRecordsPerJob: 1 }, ...patch }, dataDir ?? mkdtempSync(join(tmpdir(), 'bbe-store-')));
  let stopped = false;
  const stop = async () => {
    if (!stopped) await emu.server.stop();
    stopped = true;
  };
  cleanups.push(async () => {
    await stop();
    if (fresh) rmSync(emu.dataDir, { recursive: true, force: true });
  });
  return { ...emu, cleanup: stop };
}

let jobs = 0;
async function create(emu: Emu, inputUri: string, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await emu.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `store-${++jobs}`, roleArn: ROLE, modelId: HAIKU,
    inputDataConfig: { s3InputDataConfig: { s3Uri: inputUri } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://store-out/out/' } },
    ...extra,
  }));
  return out.jobArn!;
}

const idOf = (arn: string) => arn.split('/').pop()!;
const get = (emu: Emu, arn: string) => emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));

/** Waits up to `timeoutMs` on the job's events until it is in one of `statuses` or has processed `processed` records. */
async function reached(emu: Emu, arn: string, statuses: string[], processed?: number, timeoutMs = 10_000) {
  const query = new URLSearchParams({ status: statuses.join(','), timeoutMs: String(timeoutMs) });
  if (processed !== undefined) query.set('processed', String(processed));
  return (await (await fetch(`${emu.server.endpoint}/_emulator/jobs/${idOf(arn)}/wait?${query}`)).json()) as { reached: boolean; job: { status: string } };
}

async function reach(emu: Emu, arn: string, statuses: string[], processed?: number) {
  const answer = await reached(emu, arn, statuses, processed);
  expect(answer.reached, `${statuses.join('/')}${processed === undefined ? '' : ` or ${processed} records`}; was ${answer.job?.status}`).toBe(true);
  return get(emu, arn);
}

/** Makes every save of a job row in one of `statuses` fail, until the returned function lifts it. */
function failSaves(emu: Emu, statuses: string[]): () => void {
  const db = new Database(join(emu.dataDir, 'state.sqlite'));
  const list = statuses.map((s) => `'${s}'`).join(', ');
  db.exec(`CREATE TRIGGER no_room BEFORE INSERT ON jobs WHEN NEW.status IN (${list}) BEGIN SELECT RAISE(ABORT, '${NO_ROOM}'); END`);
  return () => {
    db.exec('DROP TRIGGER no_room');
    db.close();
  };
}

async function fiveRecords(emu: Emu) {
  await putJsonl(emu.s3, 'store-in', 'five.jsonl', Array.from({ length: 5 }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
  await putJsonl(emu.s3, 'store-out', 'keep', []);
  return 's3://store-in/five.jsonl';
}

describe('each move is dated when it was due, never later', () => {
  it('a clock advanced past the timeout at once: the job ends Expired at its jobExpirationTime, modified then and not since', async () => {
    const emu = await emulator({ stateDurations: { Scheduled: 48 * HOUR } });
    const arn = await create(emu, await fiveRecords(emu), { timeoutDurationInHours: 24 });
    const submitted = await get(emu, arn);
    emu.server.emu.clock.advance(30 * HOUR);
    const expired = await reach(emu, arn, ['Expired']);
    expect(expired.jobExpirationTime!.getTime()).toBe(submitted.submitTime!.getTime() + 24 * HOUR);
    expect(expired.endTime!.getTime()).toBe(expired.jobExpirationTime!.getTime());
    expect(expired.lastModifiedTime!.getTime()).toBe(expired.jobExpirationTime!.getTime());
  });

  it('a stop: Stopping is dated when asked, Stopped an hour later (manual timing), however far the clock went past it', async () => {
    const emu = await emulator({});
    const arn = await create(emu, await fiveRecords(emu));
    await emu.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    const stopping = await reach(emu, arn, ['Stopping']);
    expect(stopping.endTime).toBeUndefined();
    emu.server.emu.clock.advance(5 * HOUR);
    const stopped = await reach(emu, arn, ['Stopped']);
    expect(stopped.endTime!.getTime()).toBe(stopping.lastModifiedTime!.getTime() + HOUR);
    expect(stopped.lastModifiedTime!.getTime()).toBe(stopped.endTime!.getTime());
  });
});

describe('a move that cannot be saved', () => {
  it('a step (Submitted → Stopping) does not happen: StopModelInvocationJob answers InternalServerException and the job stays Submitted', async () => {
    const emu = await emulator({});
    const arn = await create(emu, await fiveRecords(emu));
    const lift = failSaves(emu, ['Stopping']);
    const err = await emu.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e) => e);
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['InternalServerException', 500]);
    expect((await get(emu, arn)).status).toBe('Submitted');
    lift();
    await emu.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    expect((await reach(emu, arn, ['Stopping'])).status).toBe('Stopping');
  });

  it('a step the clock makes (Submitted → Validating) does not happen: the job ends Failed from Submitted, saying why', async () => {
    const emu = await emulator({ timing: 'instant' });
    const uri = await fiveRecords(emu);
    const lift = failSaves(emu, ['Validating']);
    const arn = await create(emu, uri);
    const failed = await reach(emu, arn, ['Failed', 'Completed']);
    lift();
    expect(failed.status).toBe('Failed');
    expect(failed.message).toContain(NO_ROOM);
    // It never ran: no record was counted.
    expect([failed.totalRecordCount, failed.processedRecordCount]).toEqual([0, 0]);
  });

  it('an ending (Completed) happens all the same: Get, List and waiters see it, it no longer counts toward the quota; a restart finishes it again from its checkpoints', async () => {
    const emu = await emulator({ quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1 } });
    const uri = await fiveRecords(emu);
    const arn = await create(emu, uri);
    const lift = failSaves(emu, ['Completed']);
    emu.server.emu.clock.advance(10 * HOUR);
    const done = await reach(emu, arn, ['Completed']);
    expect([done.status, done.totalRecordCount, done.processedRecordCount, done.successRecordCount]).toEqual(['Completed', 5, 5, 5]);
    expect(done.endTime).toBeInstanceOf(Date);
    const listed = async (statusEquals: 'Completed' | 'InProgress') =>
      ((await emu.bedrock.send(new ListModelInvocationJobsCommand({ statusEquals }))).invocationJobSummaries ?? []).map((j) => j.jobArn);
    expect(await listed('Completed')).toEqual([arn]);
    expect(await listed('InProgress')).toEqual([]);
    // Quota 1 per model: the ended job leaves room for another.
    const second = await create(emu, uri);
    const third = await create(emu, uri).catch((e) => e);
    expect(third.name).toBe('ServiceQuotaExceededException');

    // Restarted with room again: the job's row said InProgress; it resumes and is saved Completed, counted once.
    lift();
    await emu.cleanup();
    const again = await emulator({ quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1 } }, emu.dataDir);
    const resumed = await reach(again, arn, ['Completed']);
    expect([resumed.status, resumed.totalRecordCount, resumed.processedRecordCount, resumed.successRecordCount]).toEqual(['Completed', 5, 5, 5]);
    expect((await get(again, second)).status).toBe('Submitted');
    const out = await readText(again.s3, 'store-out', `out/${idOf(arn)}/five.jsonl.out`);
    expect(out.trim().split('\n').map((l) => JSON.parse(l).recordId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });
});

describe('a harness reset', () => {
  it('forgets a job whose ending could not be saved: Get answers ResourceNotFoundException', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-store-'));
    const harness = await startEmulator({ dataDir, timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    cleanups.push(async () => {
      await harness.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const emu = { server: harness.server, dataDir, bedrock: harness.clients.bedrock, s3: harness.clients.s3 } as Emu;
    const arn = await create(emu, await fiveRecords(emu));
    const lift = failSaves(emu, ['Completed']);
    await harness.clock.advance(10 * HOUR);
    expect((await reach(emu, arn, ['Completed'])).status).toBe('Completed');
    lift();
    await harness.reset();
    const err = await get(emu, arn).catch((e) => e);
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('a restart in the middle of a run', () => {
  it('resumes from the last whole file: counts start from the checkpoints, the finished file is not redone, the job completes with each record once', async () => {
    // One record a minute of the emulator's clock; two files of two records.
    const patch = { recordsPerSecond: 1 / 60 };
    const emu = await emulator(patch);
    await putJsonl(emu.s3, 'store-in', 'two/a.jsonl', [0, 1].map((i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
    await putJsonl(emu.s3, 'store-in', 'two/b.jsonl', [2, 3].map((i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
    await putJsonl(emu.s3, 'store-out', 'keep', []);
    const arn = await create(emu, 's3://store-in/two/');
    emu.server.emu.clock.advance(3 * HOUR);
    const started = await reach(emu, arn, ['InProgress']);
    emu.server.emu.clock.advance(2 * MINUTE);
    await reach(emu, arn, [], 2);
    // Stopped between a.jsonl and b.jsonl: a.jsonl is whole, so it is checkpointed; nothing of b.jsonl is.
    await emu.cleanup();

    const again = await emulator(patch, emu.dataDir);
    const resumed = await get(again, arn);
    expect([resumed.status, resumed.totalRecordCount, resumed.processedRecordCount, resumed.successRecordCount, resumed.errorRecordCount]).toEqual(['InProgress', 4, 2, 2, 0]);
    // Saving a finished file's counts modifies the job: at or after its second record, a minute apart from the first.
    expect(resumed.lastModifiedTime!.getTime()).toBeGreaterThanOrEqual(started.lastModifiedTime!.getTime() + 2 * MINUTE);
    const admin = (await (await fetch(`${again.server.endpoint}/_emulator/jobs/${idOf(arn)}`)).json()) as { checkpoints: { key: string; processed: number }[] };
    expect(admin.checkpoints).toEqual([expect.objectContaining({ key: 'two/a.jsonl', processed: 2 })]);

    // The resumed run paces its records from when it has listed its files again, which no event marks: the clock
    // goes a minute at a time until both of b.jsonl's records are in.
    for (let minutes = 0; !(await reached(again, arn, [], 4, 200)).reached; minutes++) {
      expect(minutes, 'minutes advanced for two records').toBeLessThan(30);
      again.server.emu.clock.advance(MINUTE);
    }
    again.server.emu.clock.advance(HOUR);
    const done = await reach(again, arn, ['Completed', 'Failed']);
    expect([done.status, done.totalRecordCount, done.processedRecordCount, done.successRecordCount, done.errorRecordCount]).toEqual(['Completed', 4, 4, 4, 0]);
    type Line = { recordId: string; modelOutput: { usage: { input_tokens: number; output_tokens: number } } };
    const lines = async (file: string) => (await readText(again.s3, 'store-out', `out/${idOf(arn)}/${file}.out`)).trim().split('\n').map((l) => JSON.parse(l) as Line);
    const a = await lines('a.jsonl');
    const b = await lines('b.jsonl');
    expect(a.map((l) => l.recordId)).toEqual(['r0', 'r1']);
    expect(b.map((l) => l.recordId)).toEqual(['r2', 'r3']);
    // The manifest's token counts (batch-inference-results.html) add up every record's usage, before and after the restart.
    const sum = (key: 'input_tokens' | 'output_tokens') => [...a, ...b].reduce((n, l) => n + l.modelOutput.usage[key], 0);
    const manifest = JSON.parse(await readText(again.s3, 'store-out', `out/${idOf(arn)}/manifest.json.out`));
    expect(manifest).toEqual({
      totalRecordCount: 4, processedRecordCount: 4, successRecordCount: 4, errorRecordCount: 0,
      inputTokenCount: sum('input_tokens'), outputTokenCount: sum('output_tokens'),
    });
    expect(sum('output_tokens')).toBeGreaterThan(0);
  });
});
