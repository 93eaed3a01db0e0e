// A batch job's course on the emulator's clock, seen through GetModelInvocationJob and the published harness
// (startEmulator: its clock's advance resolves once the job work that became due has run). Timing `manual`: each
// state lasts an hour unless `stateDurations` says otherwise, so every time below is exact. Written here:
// - AWS's lifecycle (the service model's ModelInvocationJobStatus documentation): Submitted → Validating → Scheduled
//   → InProgress → Completed; Failed "if the job failed" (a validation failure lands there, with a message);
//   Expired when a job "was scheduled but didn't begin before the set timeout duration"; PartiallyCompleted when
//   "not all of your records could be processed in time"; a stop goes through Stopping to Stopped. `endTime` is
//   "the time at which the batch inference job ended", `jobExpirationTime` "the time at which the batch inference
//   job times or timed out".
// - The emulator's documented clock (README, /_emulator/clock/advance): advancing fires every transition that became
//   due, each at its own time; its documented admin force route moves a job to any status the lifecycle allows.
// - Batch quotas (AWS user guide, batch-inference-data / quotas): at least 100 records per job by default, 50 for
//   Llama 4 Scout; a model's own published quota applies unless the configuration sets that quota.
import {
  CreateModelInvocationJobCommand,
  type CreateModelInvocationJobCommandInput,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type StartOptions } from '../../src/emulator/harness.js';
import { claude, putJsonl, readText, ROLE, waitFor } from '../jobs/helpers.js';

const HOUR = 3_600_000;
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const records = (n: number, tag = 'r') => Array.from({ length: n }, (_, i) => ({ recordId: `${tag}${i}`, modelInput: claude(`${tag} ${i}`) }));

const started: EmulatorHandle[] = [];
afterAll(async () => {
  for (const e of started.splice(0)) await e.stop();
});
async function emulator(options: StartOptions = {}) {
  const e = await startEmulator({ timing: 'manual', ...options, quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1000, ...options.quotas } });
  started.push(e);
  await putJsonl(e.clients.s3, 'engine-in', 'five.jsonl', records(5));
  await putJsonl(e.clients.s3, 'engine-out', 'keep', []);
  return e;
}

let made = 0;
async function create(e: EmulatorHandle, extra: Partial<CreateModelInvocationJobCommandInput> = {}) {
  const { jobArn } = await e.clients.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `engine-${++made}`,
    roleArn: ROLE,
    modelId: HAIKU,
    inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/five.jsonl' } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://engine-out/out/' } },
    ...extra,
  }));
  return jobArn!;
}
const get = (e: EmulatorHandle, arn: string) => e.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));
const time = (d: Date | undefined) => d?.getTime();
/** POST /_emulator/clock/advance: fires what became due without waiting for the work it starts. */
async function advanceOnly(e: EmulatorHandle, advanceMs: number) {
  const res = await fetch(`${e.endpoints.bedrock}/_emulator/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs }) });
  expect(res.status).toBe(200);
  await res.body?.cancel();
}
async function force(e: EmulatorHandle, arn: string, body: object) {
  const res = await fetch(`${e.endpoints.bedrock}/_emulator/jobs/${arn.split('/')[1]}/force`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('each step at its own time on the clock', () => {
  let e: EmulatorHandle;
  beforeAll(async () => {
    e = await emulator();
  });

  it('passes Submitted, Validating, Scheduled, InProgress an hour each and ends Completed with every record', async () => {
    const arn = await create(e);
    const submitted = time((await get(e, arn)).submitTime)!;
    const steps: [string, number][] = [['Validating', 1], ['Scheduled', 2], ['InProgress', 3]];
    for (const [status, hours] of steps) {
      await e.clock.advance(HOUR);
      const job = await get(e, arn);
      expect(job.status).toBe(status);
      // InProgress's lastModifiedTime moves on as its files are written.
      if (status !== 'InProgress') expect(time(job.lastModifiedTime), status).toBe(submitted + hours * HOUR);
      expect(job.endTime).toBeUndefined();
      // Validation counts the records; none is processed before the job runs.
      if (status === 'Scheduled') expect([job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount]).toEqual([5, 0, 0, 0]);
    }
    await e.clock.advance(HOUR);
    const done = await get(e, arn);
    expect(done.status).toBe('Completed');
    expect([done.totalRecordCount, done.processedRecordCount, done.successRecordCount, done.errorRecordCount]).toEqual([5, 5, 5, 0]);
    expect(time(done.endTime)).toBeGreaterThanOrEqual(submitted + 4 * HOUR);
    expect(time(done.lastModifiedTime)).toBe(time(done.endTime));
    const manifest = JSON.parse(await readText(e.clients.s3, 'engine-out', `out/${arn.split('/')[1]}/manifest.json.out`));
    expect(manifest).toMatchObject({ totalRecordCount: 5, processedRecordCount: 5, successRecordCount: 5, errorRecordCount: 0 });
  });

  it('a clock advanced past several steps at once passes each at the time it was due', async () => {
    const arn = await create(e);
    const submitted = time((await get(e, arn)).submitTime)!;
    await e.clock.advance(2.5 * HOUR);
    const job = await get(e, arn);
    expect([job.status, time(job.lastModifiedTime), job.totalRecordCount]).toEqual(['Scheduled', submitted + 2 * HOUR, 5]);
  });

  it('fails at validation, at the time validation was due, for an input or an output that is not there', async () => {
    const noOutput = await create(e, { outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://engine-no-such-bucket/out/' } } });
    const noInput = await create(e, { inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/absent.jsonl' } } });
    const submitted = time((await get(e, noOutput)).submitTime)!;
    await e.clock.advance(3 * HOUR);
    for (const arn of [noOutput, noInput]) {
      const job = await get(e, arn);
      expect(job.status).toBe('Failed');
      expect(job.message).toBeTruthy();
      expect(time(job.endTime)).toBe(time((await get(e, arn)).submitTime)! + 2 * HOUR);
      expect(time(job.lastModifiedTime)).toBe(time(job.endTime));
    }
    expect((await get(e, noOutput)).message).toContain('s3://engine-no-such-bucket/out/');
    expect((await get(e, noInput)).message).not.toContain('engine-no-such-bucket');
    expect(time((await get(e, noOutput)).endTime)).toBe(submitted + 2 * HOUR);
  });

  it('a stop goes through Stopping to Stopped, which lasts its hour; Stopped is the end', async () => {
    const arn = await create(e);
    await e.clock.advance(HOUR);
    await e.clients.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    const stopping = await get(e, arn);
    expect([stopping.status, stopping.endTime]).toEqual(['Stopping', undefined]);
    // The steps a job would have taken are not taken once it is stopping.
    await e.clock.advance(HOUR / 2);
    expect((await get(e, arn)).status).toBe('Stopping');
    await e.clock.advance(HOUR / 2);
    const stopped = await get(e, arn);
    expect(stopped.status).toBe('Stopped');
    expect(time(stopped.endTime)).toBe(time(stopping.lastModifiedTime)! + HOUR);
    await e.clock.advance(5 * HOUR);
    expect((await get(e, arn)).status).toBe('Stopped');
  });
});

describe('timeouts (timeoutDurationInHours)', () => {
  it("Expired at jobExpirationTime when the job didn't begin before its timeout", async () => {
    const e = await emulator({ stateDurations: { Scheduled: 48 * HOUR } });
    const arn = await create(e, { timeoutDurationInHours: 24 });
    const { submitTime, jobExpirationTime } = await get(e, arn);
    expect(time(jobExpirationTime)).toBe(time(submitTime)! + 24 * HOUR);
    await e.clock.advance(23 * HOUR);
    expect((await get(e, arn)).status).toBe('Scheduled');
    await e.clock.advance(2 * HOUR);
    const job = await get(e, arn);
    expect(job.status).toBe('Expired');
    expect(time(job.endTime)).toBe(time(jobExpirationTime));
    expect(job.message).toContain('24 hours');
  });

  it('Expired also from Submitted, at its own timeout (here 30 hours)', async () => {
    const e = await emulator({ stateDurations: { Submitted: 100 * HOUR } });
    const arn = await create(e, { timeoutDurationInHours: 30 });
    const { jobExpirationTime } = await get(e, arn);
    await e.clock.advance(40 * HOUR);
    const job = await get(e, arn);
    expect([job.status, time(job.endTime)]).toEqual(['Expired', time(jobExpirationTime)]);
    expect(job.message).toContain('30 hours');
  });

  it('PartiallyCompleted at jobExpirationTime when the timeout ends a running job, with the records done so far', async () => {
    // One record an hour: 40 records cannot finish in the 21 hours left after three hours of steps.
    const e = await emulator({ recordsPerSecond: 1 / 3600, stateDurations: { InProgress: 100 * HOUR } });
    await putJsonl(e.clients.s3, 'engine-in', 'forty.jsonl', records(40));
    const arn = await create(e, { timeoutDurationInHours: 24, inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/forty.jsonl' } } });
    const { jobExpirationTime } = await get(e, arn);
    await advanceOnly(e, 3 * HOUR);
    await waitFor(e.clients.bedrock, arn, ['InProgress']);
    await advanceOnly(e, HOUR);
    await waitFor(e.clients.bedrock, arn, [], 1);
    await advanceOnly(e, 21 * HOUR);
    const job = await waitFor(e.clients.bedrock, arn);
    expect(job.status).toBe('PartiallyCompleted');
    expect(time(job.endTime)).toBe(time(jobExpirationTime));
    expect(job.message).toContain('24 hours');
    expect(job.totalRecordCount).toBe(40);
    expect(job.processedRecordCount).toBeGreaterThan(0);
    expect(job.processedRecordCount).toBeLessThan(40);
    expect(job.successRecordCount! + job.errorRecordCount!).toBe(job.processedRecordCount);
    // The output holds what was processed, and the manifest says so.
    const manifest = JSON.parse(await readText(e.clients.s3, 'engine-out', `out/${arn.split('/')[1]}/manifest.json.out`));
    expect(manifest).toMatchObject({ totalRecordCount: 40, processedRecordCount: job.processedRecordCount });
  });
});

describe('a run done before its InProgress time is over', () => {
  it('is still running at jobExpirationTime: the timeout ends it PartiallyCompleted then, with the records it did', async () => {
    // InProgress lasts at least its configured duration (README, "Batch timing"): here 100 hours, past the 24-hour
    // timeout, though the five records take no time.
    const e = await emulator({ stateDurations: { InProgress: 100 * HOUR } });
    const arn = await create(e, { timeoutDurationInHours: 24 });
    const { jobExpirationTime } = await get(e, arn);
    await e.clock.advance(3 * HOUR);
    expect([(await get(e, arn)).status, (await get(e, arn)).processedRecordCount]).toEqual(['InProgress', 5]);
    await e.clock.advance(21 * HOUR);
    const job = await get(e, arn);
    expect([job.status, time(job.endTime), job.processedRecordCount]).toEqual(['PartiallyCompleted', time(jobExpirationTime), 5]);
    expect(job.message).toContain('24 hours');
  });
});

describe('a step that cannot be saved', () => {
  it('Validating → Scheduled refused by the data dir: the job ends Failed at once, saying why, not stuck Validating', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-engine-'));
    const NO_ROOM = 'no room for this write (test)';
    // A SQLite trigger on the data dir's state file fails only the saves of a Scheduled job (a full disk fails all).
    const e = await startEmulator({ dataDir, timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    const db = new Database(join(dataDir, 'state.sqlite'));
    try {
      await putJsonl(e.clients.s3, 'engine-in', 'five.jsonl', records(5));
      await putJsonl(e.clients.s3, 'engine-out', 'keep', []);
      db.exec(`CREATE TRIGGER no_room BEFORE INSERT ON jobs WHEN NEW.status = 'Scheduled' BEGIN SELECT RAISE(ABORT, '${NO_ROOM}'); END`);
      const arn = await create(e);
      const submitted = time((await get(e, arn)).submitTime)!;
      await e.clock.advance(2 * HOUR);
      const failed = await get(e, arn);
      expect(failed.status).toBe('Failed');
      expect(failed.message).toContain(NO_ROOM);
      expect(time(failed.endTime)).toBeGreaterThanOrEqual(submitted + 2 * HOUR);
    } finally {
      db.close();
      await e.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a run that outlasts its InProgress hour', () => {
  it('ends Completed when its last record is done, not when the hour ran out', async () => {
    // One record an hour: three records take three hours of a one-hour InProgress step.
    const e = await emulator({ recordsPerSecond: 1 / 3600 });
    await putJsonl(e.clients.s3, 'engine-in', 'three.jsonl', records(3));
    const arn = await create(e, { timeoutDurationInHours: 48, inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/three.jsonl' } } });
    const submitted = time((await get(e, arn)).submitTime)!;
    await advanceOnly(e, 3 * HOUR);
    await waitFor(e.clients.bedrock, arn, ['InProgress']);
    for (let i = 0; i < 40 && !(await reached(e, arn, 3)); i++) await advanceOnly(e, HOUR);
    const job = await waitFor(e.clients.bedrock, arn);
    expect([job.status, job.processedRecordCount]).toEqual(['Completed', 3]);
    expect(time(job.endTime)).toBeGreaterThanOrEqual(submitted + 6 * HOUR);
  }, 30_000);
});

describe('stopping or forcing a running job ends its run', () => {
  // A paced run waits on the clock, so these advance it without waiting for quiet (the harness's advance would wait
  // for the run), then wait on the job's events.
  /** A job of 20 records at one a minute, InProgress with its first record done. */
  async function runningJob(options: StartOptions = {}) {
    const e = await emulator({ recordsPerSecond: 1 / 60, ...options });
    await putJsonl(e.clients.s3, 'engine-in', 'twenty.jsonl', records(20));
    const arn = await create(e, { inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/twenty.jsonl' } } });
    await advanceOnly(e, 3 * HOUR);
    await waitFor(e.clients.bedrock, arn, ['InProgress']);
    await advanceOnly(e, 60_000);
    await waitFor(e.clients.bedrock, arn, [], 1);
    return { e, arn };
  }

  it('InProgress → Stopping → Stopped keeps the records already processed, and leaves the emulator quiet', async () => {
    const { e, arn } = await runningJob();
    // While it runs, ListModelInvocationJobs shows the live counts, as Get does.
    const live = await get(e, arn);
    const listed = (await e.clients.bedrock.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries!.find((j) => j.jobArn === arn)!;
    expect(live.processedRecordCount).toBeGreaterThanOrEqual(1);
    expect(listed.processedRecordCount).toBe(live.processedRecordCount);
    await e.clients.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    await advanceOnly(e, HOUR);
    const stopped = await waitFor(e.clients.bedrock, arn);
    expect(stopped.status).toBe('Stopped');
    await e.settle();
    expect((await get(e, arn)).processedRecordCount).toBe(stopped.processedRecordCount);
    expect(stopped.processedRecordCount).toBeLessThan(20);
  }, 20_000);

  it('a running job stopped stays Stopping for its own time (here 2 hours, longer than InProgress), then Stopped', async () => {
    const { e, arn } = await runningJob({ stateDurations: { Stopping: 2 * HOUR } });
    await e.clients.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    const stopping = await get(e, arn);
    // The run has ended (the emulator is quiet) before the clock passes the hour InProgress would have lasted.
    await e.settle();
    await advanceOnly(e, HOUR);
    await e.settle();
    expect([(await get(e, arn)).status, (await get(e, arn)).endTime]).toEqual(['Stopping', undefined]);
    await advanceOnly(e, HOUR);
    const stopped = await waitFor(e.clients.bedrock, arn);
    expect([stopped.status, time(stopped.endTime)]).toEqual(['Stopped', time(stopping.lastModifiedTime)! + 2 * HOUR]);
  }, 20_000);

  it('the admin force route: a running job forced Failed keeps its message, processes no more, and leaves the emulator quiet', async () => {
    const { e, arn } = await runningJob();
    expect(await force(e, arn, { status: 'Failed', message: 'forced by the test' })).toEqual({ status: 200, body: { status: 'Failed' } });
    const failed = await get(e, arn);
    // A run still going would hold the harness's settle until the test's timeout.
    await advanceOnly(e, 5 * 60_000);
    await e.settle();
    await e.clock.advance(2 * HOUR);
    const later = await get(e, arn);
    expect([later.status, later.message, later.processedRecordCount]).toEqual(['Failed', 'forced by the test', failed.processedRecordCount]);
    expect(time(later.endTime)).toBe(time(failed.endTime));
  }, 20_000);

  it('the admin force route refuses a move the lifecycle does not allow, naming the steps it does allow', async () => {
    const e = await emulator();
    const arn = await create(e);
    const refused = await force(e, arn, { status: 'Completed' });
    expect(refused.status).toBe(400);
    for (const allowed of ['Validating', 'Failed', 'Stopping', 'Expired']) expect(String(refused.body.message)).toContain(allowed);
    expect(String(refused.body.message)).toMatch(/(\w+, ){3}\w+/);
    // A message given with a step stays with the job through the steps that follow.
    expect((await force(e, arn, { status: 'Stopping', message: 'stopped by the test' })).status).toBe(200);
    await e.clock.advance(HOUR);
    expect([(await get(e, arn)).status, (await get(e, arn)).message]).toEqual(['Stopped', 'stopped by the test']);
    const ended = await force(e, arn, { status: 'Validating' });
    expect(ended.status).toBe(400);
    expect(String(ended.body.message)).toMatch(/none/);
  });
});

describe("a model's own batch quota (Llama 4 Scout: at least 50 records per job, AWS user guide)", () => {
  const SCOUT = 'us.meta.llama4-scout-17b-instruct-v1:0';
  const llamaRecords = (n: number) => Array.from({ length: n }, (_, i) => ({ recordId: `l${i}`, modelInput: { prompt: `record ${i}`, max_gen_len: 10 } }));

  it('applies when the configuration leaves minRecordsPerJob at its default (100), not when it sets it', async () => {
    const defaults = await startEmulator({ timing: 'manual' });
    started.push(defaults);
    await putJsonl(defaults.clients.s3, 'engine-in', 'sixty.jsonl', llamaRecords(60));
    await putJsonl(defaults.clients.s3, 'engine-out', 'keep', []);
    const sixty = { inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/sixty.jsonl' } } };
    const scout = await create(defaults, { modelId: SCOUT, ...sixty });
    const haiku = await create(defaults, sixty);
    await defaults.clock.advance(2 * HOUR);
    expect([(await get(defaults, scout)).status, (await get(defaults, scout)).totalRecordCount]).toEqual(['Scheduled', 60]);
    const refused = await get(defaults, haiku);
    expect(refused.status).toBe('Failed');
    expect(refused.message).toContain('100');

    const configured = await emulator({ quotas: { minRecordsPerJob: 70 } });
    await putJsonl(configured.clients.s3, 'engine-in', 'sixty.jsonl', llamaRecords(60));
    const own = await create(configured, { modelId: SCOUT, ...sixty });
    await configured.clock.advance(2 * HOUR);
    const failed = await get(configured, own);
    expect(failed.status).toBe('Failed');
    expect(failed.message).toContain('70');
  });
});

describe('after a restart on the same data dir', () => {
  it('an unfinished job resumes where it was and completes; one whose input vanished ends Failed with a message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-engine-'));
    try {
      let e = await startEmulator({ dataDir, timing: 'manual', quotas: { minRecordsPerJob: 1 } });
      await putJsonl(e.clients.s3, 'engine-in', 'five.jsonl', records(5));
      await putJsonl(e.clients.s3, 'engine-in', 'vanishes.jsonl', records(3));
      await putJsonl(e.clients.s3, 'engine-out', 'keep', []);
      const kept = await create(e);
      const vanishing = await create(e, { inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/vanishes.jsonl' } } });
      await e.clock.advance(2 * HOUR);
      expect((await get(e, kept)).status).toBe('Scheduled');
      const submitted = time((await get(e, kept)).submitTime)!;
      await e.stop();

      e = await startEmulator({ dataDir, timing: 'manual', quotas: { minRecordsPerJob: 1 } });
      started.push(e);
      const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
      await e.clients.s3.send(new DeleteObjectCommand({ Bucket: 'engine-in', Key: 'vanishes.jsonl' }));
      expect((await get(e, kept)).status).toBe('Scheduled');
      await e.clock.advance(HOUR);
      const running = await get(e, kept);
      expect(running.status).toBe('InProgress');
      expect(time(running.lastModifiedTime)).toBeGreaterThanOrEqual(submitted + 3 * HOUR);
      await e.clock.advance(HOUR);
      const done = await get(e, kept);
      expect([done.status, done.processedRecordCount, done.successRecordCount]).toEqual(['Completed', 5, 5]);
      const failed = await get(e, vanishing);
      expect(failed.status).toBe('Failed');
      expect(failed.message).toContain('s3://engine-in/vanishes.jsonl');
      expect(failed.message).not.toMatch(/data dir/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Whether the job has processed `processed` records, waiting on its event for at most 200 ms. */
async function reached(e: EmulatorHandle, arn: string, processed: number) {
  const res = await fetch(`${e.endpoints.bedrock}/_emulator/jobs/${arn.split('/')[1]}/wait?processed=${processed}&status=Completed&timeoutMs=200`);
  return ((await res.json()) as { reached: boolean }).reached;
}

describe('stopped and restarted while InProgress (the emulator shuts down between records)', () => {
  it('resumes after the files already written: every record once, the counts summed from what was done before', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-engine-'));
    const options = { dataDir, timing: 'manual' as const, recordsPerSecond: 1 / 60, quotas: { minRecordsPerJob: 1 } };
    try {
      let e = await startEmulator(options);
      await putJsonl(e.clients.s3, 'engine-in', 'two/a.jsonl', records(3, 'a'));
      await putJsonl(e.clients.s3, 'engine-in', 'two/b.jsonl', records(3, 'b'));
      await putJsonl(e.clients.s3, 'engine-out', 'keep', []);
      const arn = await create(e, { inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://engine-in/two/' } } });
      await advanceOnly(e, 3 * HOUR);
      await waitFor(e.clients.bedrock, arn, ['InProgress']);
      // One record a minute: a.jsonl's three, then one of b.jsonl's.
      for (let n = 1; n <= 4; n++) {
        await advanceOnly(e, 60_000);
        await waitFor(e.clients.bedrock, arn, [], n);
      }
      // a.jsonl's output was written three minutes into InProgress: the job was last modified then, not at InProgress.
      const before = await get(e, arn);
      expect(time(before.lastModifiedTime)).toBeGreaterThanOrEqual(time(before.submitTime)! + 3 * HOUR + 3 * 60_000);
      await e.stop();

      e = await startEmulator(options);
      started.push(e);
      expect((await get(e, arn)).status).toBe('InProgress');
      // A shutdown is not an end: no manifest yet.
      const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
      const head = await e.clients.s3.send(new HeadObjectCommand({ Bucket: 'engine-out', Key: `out/${arn.split('/')[1]}/manifest.json.out` })).catch((x: Error) => x);
      expect((head as Error).name).toBe('NotFound');
      // The resumed run lists its input again before it waits for the clock: advance a minute at a time until it has
      // done the rest (each wait on the job's event is short; a minute advanced before the run waits is not lost work).
      for (let i = 0; i < 40 && !(await reached(e, arn, 6)); i++) await advanceOnly(e, 60_000);
      await advanceOnly(e, HOUR);
      const job = await waitFor(e.clients.bedrock, arn);
      expect([job.status, job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount]).toEqual(['Completed', 6, 6, 6, 0]);
      const id = arn.split('/')[1];
      for (const file of ['a', 'b']) {
        const ids = (await readText(e.clients.s3, 'engine-out', `out/${id}/${file}.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l).recordId);
        expect(ids).toEqual([`${file}0`, `${file}1`, `${file}2`]);
      }
      const manifest = JSON.parse(await readText(e.clients.s3, 'engine-out', `out/${id}/manifest.json.out`));
      expect(manifest).toMatchObject({ totalRecordCount: 6, processedRecordCount: 6, successRecordCount: 6, errorRecordCount: 0 });
      expect(manifest.inputTokenCount).toBeGreaterThan(0);
      expect(manifest.outputTokenCount).toBeGreaterThan(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the harness reset', () => {
  it('forgets every job and its timers: advancing the clock afterwards moves nothing, and the names are free', async () => {
    const e = await emulator();
    const arn = await create(e, { jobName: 'engine-reset' });
    await e.clock.advance(HOUR);
    await e.reset();
    await putJsonl(e.clients.s3, 'engine-in', 'five.jsonl', records(5));
    await putJsonl(e.clients.s3, 'engine-out', 'keep', []);
    const err = await get(e, arn).catch((x: Error) => x);
    expect((err as Error).name).toBe('ResourceNotFoundException');
    const again = await create(e, { jobName: 'engine-reset' });
    await e.clock.advance(HOUR);
    expect((await get(e, again)).status).toBe('Validating');
  });
});
