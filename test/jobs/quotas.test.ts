// The batch rules a user's job runs into, each stated from AWS's documentation in the test:
// - Bedrock batch quotas (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html, "Batch inference"):
//   records per job, input size per job, and "submitted and in progress" jobs per model counted together;
// - the output location must be a bucket Bedrock can write to (batch-inference-create.html: the job fails);
// - ListModelInvocationJobs' submitTimeAfter/submitTimeBefore filters (the service model's documentation:
//   "Specify a time to filter for batch inference jobs that were submitted after the time you specify").
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { afterEach, describe, expect, it } from 'vitest';
import { claude, putJsonl, ROLE, startEmulatorForTest, waitFor } from './helpers.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function emulator(patch: object) {
  const e = await startEmulatorForTest(patch);
  cleanups.push(e.cleanup);
  return e;
}

const records = (n: number, tag = 'r') => Array.from({ length: n }, (_, i) => ({ recordId: `${tag}${i}`, modelInput: claude(`${tag} ${i}`) }));

function create(bedrock: Awaited<ReturnType<typeof emulator>>['bedrock'], input: string, output = 's3://quota-out/out/', jobName = 'quota-job') {
  return bedrock.send(
    new CreateModelInvocationJobCommand({
      jobName,
      roleArn: ROLE,
      modelId: HAIKU,
      inputDataConfig: { s3InputDataConfig: { s3Uri: input } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: output } },
    }),
  );
}

describe('batch quotas (AWS: Bedrock service quotas, batch inference)', () => {
  it('fails a job whose input files together exceed the bytes per job, although each file is under the per-file quota', async () => {
    const { bedrock, s3 } = await emulator({ quotas: { minRecordsPerJob: 1, maxInputFileBytes: 10_000, maxJobBytes: 2_000 } });
    await putJsonl(s3, 'quota-in', 'folder/a.jsonl', records(10, 'a')); // ~1.3 KB each
    await putJsonl(s3, 'quota-in', 'folder/b.jsonl', records(10, 'b'));
    await putJsonl(s3, 'quota-out', 'keep', []);
    const job = await waitFor(bedrock, (await create(bedrock, 's3://quota-in/folder/')).jobArn!);
    expect(job.status).toBe('Failed');
    expect(job.message).toMatch(/2000 bytes/);
  });

  it('accepts the same folder when the bytes per job allow it', async () => {
    const { bedrock, s3 } = await emulator({ quotas: { minRecordsPerJob: 1, maxInputFileBytes: 10_000, maxJobBytes: 10_000 } });
    await putJsonl(s3, 'quota-in', 'folder/a.jsonl', records(10, 'a'));
    await putJsonl(s3, 'quota-in', 'folder/b.jsonl', records(10, 'b'));
    await putJsonl(s3, 'quota-out', 'keep', []);
    const job = await waitFor(bedrock, (await create(bedrock, 's3://quota-in/folder/')).jobArn!);
    expect(job.status).toBe('Completed');
    expect(job.totalRecordCount).toBe(20);
  });

  it('fails a job whose files together hold more records than the records per job', async () => {
    const { bedrock, s3 } = await emulator({ quotas: { minRecordsPerJob: 1, maxRecordsPerFile: 10, maxRecordsPerJob: 15 } });
    await putJsonl(s3, 'quota-in', 'folder/a.jsonl', records(8, 'a'));
    await putJsonl(s3, 'quota-in', 'folder/b.jsonl', records(8, 'b'));
    await putJsonl(s3, 'quota-out', 'keep', []);
    const job = await waitFor(bedrock, (await create(bedrock, 's3://quota-in/folder/')).jobArn!);
    expect(job.status).toBe('Failed');
    expect(job.message).toMatch(/15 records/);
  });

  it('counts InProgress jobs, not only Submitted ones, toward the concurrent jobs per model', async () => {
    const { bedrock, s3, server } = await emulator({ timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1 } });
    await putJsonl(s3, 'quota-in', 'in.jsonl', records(3));
    await putJsonl(s3, 'quota-out', 'keep', []);
    const first = await create(bedrock, 's3://quota-in/in.jsonl', undefined, 'first');
    // Manual timing: Submitted, Validating and Scheduled last an hour each.
    server.emu.clock.advance(3 * 3_600_000);
    await server.emu.jobs.engine.idle();
    await waitFor(bedrock, first.jobArn!, ['InProgress']);
    const err = await create(bedrock, 's3://quota-in/in.jsonl', undefined, 'second').catch((e) => e);
    expect(err.name).toBe('ServiceQuotaExceededException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe('output location (AWS: batch-inference-create.html)', () => {
  it('fails a job whose output bucket does not exist when it validates, before any record runs', async () => {
    const { bedrock, s3, server } = await emulator({ timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    await putJsonl(s3, 'quota-in', 'in.jsonl', records(3));
    const { jobArn } = await create(bedrock, 's3://quota-in/in.jsonl', 's3://no-such-output-bucket/out/');
    // The service model's ModelInvocationJobStatus: Validating checks that "your IAM service role has access to the
    // Amazon S3 buckets". Manual timing: Submitted and Validating last an hour each, so the job is Failed at the end
    // of Validating, never Scheduled.
    server.emu.clock.advance(2 * 3_600_000);
    await server.emu.jobs.engine.idle();
    const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    expect(job.status).toBe('Failed');
    expect(job.message).toContain('no-such-output-bucket');
  });
});

describe('ListModelInvocationJobs time filters (service model: submitTimeAfter, submitTimeBefore)', () => {
  it('lists only the jobs submitted after submitTimeAfter and before submitTimeBefore', async () => {
    const { bedrock, s3, server } = await emulator({ timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    await putJsonl(s3, 'quota-in', 'in.jsonl', records(3));
    await putJsonl(s3, 'quota-out', 'keep', []);
    await create(bedrock, 's3://quota-in/in.jsonl', undefined, 'early');
    server.emu.clock.advance(10 * 60_000);
    const between = new Date(server.emu.clock.now());
    server.emu.clock.advance(10 * 60_000);
    await create(bedrock, 's3://quota-in/in.jsonl', undefined, 'late');
    const names = async (filter: object) =>
      ((await bedrock.send(new ListModelInvocationJobsCommand(filter))).invocationJobSummaries ?? []).map((j) => j.jobName).sort();
    expect(await names({})).toEqual(['early', 'late']);
    expect(await names({ submitTimeAfter: between })).toEqual(['late']);
    expect(await names({ submitTimeBefore: between })).toEqual(['early']);
  });
});
