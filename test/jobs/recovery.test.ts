// The emulator ended during InProgress at random points — kill -9, or SIGTERM / SIGINT (Ctrl-C), which shut it
// down gracefully — and restarted on the same data dir: every job completes, every record is in the output exactly
// once and the manifest's counts match. A graceful shutdown must exit 0 and leave the file it was writing to be
// redone (it used to upload and checkpoint the partial file, so the job ended Completed with records missing).
// Each run draws its plan (jobs, files, records, whether records carry ids, the share of records processed at each
// kill) from RECOVERY_SEED and its run number; the signals cycle through the three kinds with the run number and
// kill, so any 3 runs use each. The seed is in every test name, so `RECOVERY_SEED=<seed> npx vitest run
// test/jobs/recovery.test.ts` replays a failure. `npm test` makes RECOVERY_RUNS=3 runs; the reliability suite
// more (see vitest.reliability.config.ts). No fixed sleeps: the test polls GetModelInvocationJob.
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, type BedrockClient } from '@aws-sdk/client-bedrock';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobProgress, kill, killChildren, spawnEmulator } from '../support/emulator-process.js';
import { prng } from '../support/prng.js';
import { claude, putJsonl, readText, ROLE, TERMINAL, waitFor } from './helpers.js';

const RUNS = Number(process.env.RECOVERY_RUNS ?? 3);
const SEED = Number(process.env.RECOVERY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MAX_KILLS = Number(process.env.RECOVERY_MAX_KILLS ?? 2);

const dirs: string[] = [];
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Signal = 'SIGKILL' | 'SIGTERM' | 'SIGINT';
const SIGNALS: Signal[] = ['SIGKILL', 'SIGTERM', 'SIGINT'];

interface Plan {
  run: number;
  jobs: number;
  files: number;
  perFile: number;
  /** Records without a recordId get one generated from the job and line, which must be stable across a restart. */
  withIds: boolean;
  /** Kill when this share of all the jobs' records has been processed (ascending), with this signal. */
  kills: { share: number; signal: Signal }[];
  label: string;
}

function plan(run: number): Plan {
  const random = prng(SEED * 1009 + run);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const jobs = int(1, 2);
  const files = int(1, 4);
  const perFile = int(100, 800);
  const withIds = random() < 0.7;
  const kills = Array.from({ length: int(1, MAX_KILLS) }, () => Math.round(random() * 95) / 100)
    .sort((a, b) => a - b)
    .map((share, i) => ({ share, signal: SIGNALS[(run + i) % SIGNALS.length] }));
  const label = `${jobs} job(s) of ${files} file(s) of ${perFile} records${withIds ? '' : ' without recordIds'}, ${kills.map((k) => `${k.signal} at ${Math.round(k.share * 100)}%`).join(', ')}`;
  return { run, jobs, files, perFile, withIds, kills, label };
}

const spawnAt = (dataDir: string, recordsPerSecond: number) =>
  spawnEmulator(['--data-dir', dataDir, '--timing', 'instant', '--records-per-second', String(recordsPerSecond), '--quota-min-records-per-job', '1']);

/** Waits on job events until the jobs together have processed `records` records (or all ended); returns what it saw. */
async function until(emu: { bedrock: BedrockClient; endpoint: string }, jobArns: string[], records: number): Promise<string> {
  for (;;) {
    const jobs = await Promise.all(jobArns.map((jobIdentifier) => emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier }))));
    const processed = jobs.reduce((n, j) => n + (j.processedRecordCount ?? 0), 0);
    if (processed >= records || jobs.every((j) => TERMINAL.includes(j.status!))) return `${processed} processed, ${jobs.map((j) => j.status).join('/')}`;
    // The next event: the first unfinished job's next record, or its end.
    const next = jobs.find((j) => !TERMINAL.includes(j.status!))!;
    await jobProgress(emu.endpoint, next.jobArn!.split('/').pop()!, (next.processedRecordCount ?? 0) + 1);
  }
}

/** Runs the plan's jobs, ending the emulator at each of its kills and restarting it, then checks every output. */
async function runPlan(p: Plan, recordsPerSecond: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bbe-crash-'));
  dirs.push(dataDir);
  let emu = await spawnAt(dataDir, recordsPerSecond);
  const perJob = p.files * p.perFile;
  const text = (job: number, f: number, i: number) => `job ${job} record ${f}-${i}`;
  for (let j = 0; j < p.jobs; j++) {
    for (let f = 0; f < p.files; f++) {
      const lines = Array.from({ length: p.perFile }, (_, i) => ({ ...(p.withIds ? { recordId: `j${j}f${f}r${i}` } : {}), modelInput: claude(text(j, f, i), 16) }));
      await putJsonl(emu.s3, 'crash-in', `job-${j}/part-${f}.jsonl`, lines);
    }
  }
  await putJsonl(emu.s3, 'crash-out', 'keep', []);
  const jobArns: string[] = [];
  for (let j = 0; j < p.jobs; j++) {
    const { jobArn } = await emu.bedrock.send(new CreateModelInvocationJobCommand({
      jobName: `crash-${p.run}-${j}`, roleArn: ROLE, modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      inputDataConfig: { s3InputDataConfig: { s3Uri: `s3://crash-in/job-${j}/` } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://crash-out/out/' } },
    }));
    jobArns.push(jobArn!);
  }
  const log: string[] = [];
  for (const { share, signal } of p.kills) {
    log.push(`${signal} at ${share * 100}%: ${await until(emu, jobArns, Math.floor(share * perJob * p.jobs))}`);
    const exit = await kill(emu, signal);
    // A graceful shutdown ends the process itself, with status 0.
    if (signal !== 'SIGKILL') expect(exit, `seed ${SEED}, run ${p.run}: ${log.join('; ')}`).toEqual({ code: 0, signal: null });
    emu = await spawnAt(dataDir, recordsPerSecond);
    // Only whole files are ever checkpointed, whatever ended the process.
    for (const jobArn of jobArns) {
      const { checkpoints } = await (await fetch(`${emu.endpoint}/_emulator/jobs/${jobArn.split('/').pop()}`)).json();
      expect(checkpoints.map((c: { key: string; processed: number }) => `${c.key}: ${c.processed}`), `seed ${SEED}, run ${p.run}: ${log.join('; ')}`)
        .toEqual(checkpoints.map((c: { key: string }) => `${c.key}: ${p.perFile}`));
    }
  }
  const where = `seed ${SEED}, run ${p.run} (${p.label}); ${log.join('; ')}`;

  for (const [j, jobArn] of jobArns.entries()) {
    const job = await waitFor(emu.bedrock, jobArn);
    expect(job.status, where).toBe('Completed');
    expect([job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount], where).toEqual([perJob, perJob, perJob, 0]);
    const id = jobArn.split('/').pop();
    const listed = await emu.s3.send(new ListObjectsV2Command({ Bucket: 'crash-out', Prefix: `out/${id}/` }));
    expect(listed.Contents!.map((o) => o.Key).sort(), where).toEqual([...Array.from({ length: p.files }, (_, f) => `out/${id}/part-${f}.jsonl.out`), `out/${id}/manifest.json.out`].sort());
    // Every record exactly once: by recordId, and by its input (generated ids are checked for uniqueness too).
    const ids = new Map<string, number>();
    const inputs = new Map<string, number>();
    for (let f = 0; f < p.files; f++) {
      for (const line of (await readText(emu.s3, 'crash-out', `out/${id}/part-${f}.jsonl.out`)).trim().split('\n')) {
        const record = JSON.parse(line);
        expect(record.modelOutput, where).toBeTruthy();
        ids.set(record.recordId, (ids.get(record.recordId) ?? 0) + 1);
        const input = record.modelInput.messages[0].content;
        inputs.set(input, (inputs.get(input) ?? 0) + 1);
      }
    }
    expect(ids.size, where).toBe(perJob);
    expect([...ids.values()].every((n) => n === 1), where).toBe(true);
    expect(inputs.size, where).toBe(perJob);
    expect([...inputs.values()].every((n) => n === 1), where).toBe(true);
    expect(inputs.has(text(j, p.files - 1, p.perFile - 1)), where).toBe(true);
    const manifest = JSON.parse(await readText(emu.s3, 'crash-out', `out/${id}/manifest.json.out`));
    expect(manifest, where).toMatchObject({ totalRecordCount: perJob, processedRecordCount: perJob, successRecordCount: perJob, errorRecordCount: 0 });
    expect(manifest.inputTokenCount, where).toBeGreaterThan(0);
  }
  await kill(emu);
}

describe(`crash recovery (RECOVERY_SEED=${SEED})`, () => {
  const plans = Array.from({ length: RUNS }, (_, i) => plan(i + 1));
  for (const p of plans) it(`run ${p.run} (seed ${SEED}): ${p.label}`, () => runPlan(p, 3000));
});

describe('graceful shutdown', () => {
  // Slow enough (200 records/s, 1.5 s a file) that each signal lands in the middle of a file.
  it('SIGTERM, then Ctrl-C (SIGINT), each in the middle of a file: exits 0, checkpoints only whole files, and the job completes after restarts', () =>
    runPlan({ run: 0, jobs: 1, files: 2, perFile: 300, withIds: true, kills: [{ share: 0.1, signal: 'SIGTERM' }, { share: 0.6, signal: 'SIGINT' }], label: 'graceful' }, 200));
});
