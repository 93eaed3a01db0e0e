// A full disk, simulated without root or mounts: the emulator runs under RLIMIT_FSIZE (`ulimit -f`, in 512-byte
// blocks; Node ignores SIGXFSZ), so every write that would grow a file past the limit fails with EFBIG, through the
// real code paths (s3rver's object files, SQLite's WAL). A job that can't write its output or its state ends
// Failed with a message saying what could not be written; a request that can't be saved answers a 500 saying so;
// the server keeps answering; a restart works, and with space again resumes what was never saved. It used to
// crash (the error path's own SQLite write threw), and crash again on every restart.
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kill, killChildren, spawnEmulator, type EmulatorProcess } from '../support/emulator-process.js';
import { claude, putJsonl, readText, ROLE, waitFor } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BLOCK = 512;
const limited = (bytes: number) => ['sh', '-c', `ulimit -f ${Math.floor(bytes / BLOCK)} && exec "$@"`, 'sh'];
const options = (dataDir: string) => ['--data-dir', dataDir, '--timing', 'instant', '--quota-min-records-per-job', '1'];

async function submit(emu: EmulatorProcess, records: number) {
  // ~240 bytes a record in, ~2.5 times that out.
  await putJsonl(emu.s3, 'full-in', 'a.jsonl', Array.from({ length: records }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i} ${'x'.repeat(100)}`, 40) })));
  await putJsonl(emu.s3, 'full-out', 'keep', []);
  const { jobArn } = await emu.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: 'disk-full', roleArn: ROLE, modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://full-in/a.jsonl' } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://full-out/out/' } },
  }));
  return jobArn!;
}

async function stillAnswering(emu: EmulatorProcess) {
  expect((await fetch(`${emu.endpoint}/_emulator/health`)).status).toBe(200);
  expect((await emu.bedrock.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries).toHaveLength(1);
}

describe.skipIf(process.platform === 'win32')('a full disk', () => {
  it('output that cannot be written: the job ends Failed naming the object, the server answers, a restart works', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-full-'));
    dirs.push(dataDir);
    // 512 KB a file: the input (~300 KB) and the state fit, the output (~750 KB) does not.
    let emu = await spawnEmulator(options(dataDir), limited(512 * 1024));
    const jobArn = await submit(emu, 1250);
    const failed = await waitFor(emu.bedrock, jobArn);
    const id = jobArn.split('/').pop();
    expect(failed.status).toBe('Failed');
    expect(failed.message).toContain(`couldn't write the output file s3://full-out/out/${id}/a.jsonl.out`);
    await stillAnswering(emu);
    expect(await kill(emu, 'SIGTERM')).toEqual({ code: 0, signal: null });

    emu = await spawnEmulator(options(dataDir));
    const after = await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    expect([after.status, after.message]).toEqual(['Failed', failed.message]);
    await kill(emu);
  });

  it('state that cannot be saved either: the job answers Failed, the server answers; restarted with space, the job resumes and completes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-full-'));
    dirs.push(dataDir);
    // The job is created at 100 records/s and killed once running, leaving its state in SQLite's WAL.
    let emu = await spawnEmulator([...options(dataDir), '--records-per-second', '100']);
    const jobArn = await submit(emu, 200);
    for (let job = await waitFor(emu.bedrock, jobArn, ['InProgress']); !job.processedRecordCount; ) {
      job = await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    }
    await kill(emu);
    // Restarted with no room to grow the WAL: the job resumes, and neither its output nor its state can be written.
    const wal = statSync(join(dataDir, 'state.sqlite-wal')).size;
    emu = await spawnEmulator(options(dataDir), limited(wal));
    const failed = await waitFor(emu.bedrock, jobArn);
    expect(failed.status).toBe('Failed');
    expect(failed.message).toMatch(/couldn't write the output file s3:\/\/full-out\/|couldn't save the job's state in its data dir .*the disk may be full/);
    await stillAnswering(emu);
    const refused = await emu.bedrock.send(new CreateModelInvocationJobCommand({
      jobName: 'no-room', roleArn: ROLE, modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://full-in/other.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://full-out/out/' } },
    })).catch((e) => e);
    expect([refused.name, refused.$metadata?.httpStatusCode]).toEqual(['InternalServerException', 500]);
    expect(refused.message).toMatch(/^The emulator couldn't write its data dir \(SQLITE_\w+: .*\); the disk may be full\.$/);
    await kill(emu);

    emu = await spawnEmulator(options(dataDir));
    const done = await waitFor(emu.bedrock, jobArn);
    expect([done.status, done.totalRecordCount, done.processedRecordCount]).toEqual(['Completed', 200, 200]);
    const ids = (await readText(emu.s3, 'full-out', `out/${jobArn.split('/').pop()}/a.jsonl.out`)).trim().split('\n').map((l) => JSON.parse(l).recordId);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
    await kill(emu);
  });
});
