import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand, StopModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claude, clientsFor, putJsonl, readText, ROLE, startEmulatorForTest, waitFor } from './helpers.js';

const HOUR = 3_600_000;
let env: Awaited<ReturnType<typeof startEmulatorForTest>>;
beforeAll(async () => {
  env = await startEmulatorForTest({ timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 100 } });
  await putJsonl(env.s3, 'in-bucket', 'five.jsonl', Array.from({ length: 5 }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
  await putJsonl(env.s3, 'out-bucket', 'keep', []);
});
afterAll(() => env.cleanup());

const advance = (ms: number) => env.server.emu.clock.advance(ms);
const config = (patch: object) => env.server.emu.config.update(patch);
let created = 0;
async function create(extra: Record<string, unknown> = {}) {
  const out = await env.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `life-${++created}`,
    roleArn: ROLE,
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://in-bucket/five.jsonl' } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://out-bucket/life/' } },
    ...extra,
  }));
  return out.jobArn!;
}
const status = (arn: string, s: string[]) => waitFor(env.bedrock, arn, s);
/** A job paced at one record per `msPerRecord`, once InProgress (the clock past Submitted, Validating, Scheduled). */
async function inProgress(msPerRecord: number, extra: Record<string, unknown> = {}) {
  config({ recordsPerSecond: 1000 / msPerRecord });
  const arn = await create(extra);
  config({ recordsPerSecond: 0 });
  advance(3 * HOUR);
  await status(arn, ['InProgress']);
  return arn;
}

describe('the lifecycle on the emulator clock', () => {
  it('passes every state in order, each after its duration', async () => {
    const arn = await create();
    expect((await status(arn, ['Submitted'])).status).toBe('Submitted');
    advance(HOUR);
    await status(arn, ['Validating']);
    advance(HOUR);
    const scheduled = await status(arn, ['Scheduled']);
    expect(scheduled.totalRecordCount).toBe(5);
    advance(HOUR);
    await status(arn, ['InProgress']);
    advance(HOUR);
    const done = await status(arn, ['Completed']);
    expect(done.processedRecordCount).toBe(5);
  });

  it.each(['Submitted', 'Validating', 'Scheduled'])('stops from %s through Stopping to Stopped', async (from) => {
    const arn = await create();
    const steps = ['Submitted', 'Validating', 'Scheduled'].indexOf(from);
    for (let i = 0; i < steps; i++) {
      advance(HOUR);
      await status(arn, [['Validating', 'Scheduled'][i]]);
    }
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    expect((await status(arn, ['Stopping'])).status).toBe('Stopping');
    advance(HOUR);
    const stopped = await status(arn, ['Stopped']);
    expect(stopped.endTime).toBeInstanceOf(Date);
  });

  it('stops while InProgress, keeping the records already written', async () => {
    const arn = await inProgress(60_000);
    advance(2 * 60_000);
    expect((await waitFor(env.bedrock, arn, [], 2)).processedRecordCount).toBe(2);
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    advance(HOUR);
    const stopped = await status(arn, ['Stopped']);
    expect(stopped.processedRecordCount).toBe(2);
    const out = await readText(env.s3, 'out-bucket', `life/${arn.split('/').pop()}/five.jsonl.out`);
    expect(out.trim().split('\n').map((l) => JSON.parse(l).recordId)).toEqual(['r0', 'r1']);
    const manifest = JSON.parse(await readText(env.s3, 'out-bucket', `life/${arn.split('/').pop()}/manifest.json.out`));
    expect(manifest).toMatchObject({ totalRecordCount: 5, processedRecordCount: 2 });
  });

  it('reads a running job the same way everywhere: Get, List and the admin view show its live counts; no file is checkpointed before its output is whole', async () => {
    const arn = await inProgress(60_000);
    advance(3 * 60_000);
    await waitFor(env.bedrock, arn, [], 3);
    type Counts = { status?: string; totalRecordCount?: number; processedRecordCount?: number; successRecordCount?: number; errorRecordCount?: number };
    const counts = (j: Counts) => [j.status, j.totalRecordCount, j.processedRecordCount, j.successRecordCount, j.errorRecordCount];
    const got = await env.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));
    const { invocationJobSummaries } = await env.bedrock.send(new ListModelInvocationJobsCommand({ statusEquals: 'InProgress' }));
    const listed = invocationJobSummaries!.find((j) => j.jobArn === arn)!;
    const admin = (await (await fetch(`${env.server.endpoint}/_emulator/jobs/${arn.split('/').pop()}`)).json()) as { job: Counts; checkpoints: unknown[] };
    expect(counts(got)).toEqual(['InProgress', 5, 3, 3, 0]);
    expect(counts(listed)).toEqual(counts(got));
    expect(counts(admin.job)).toEqual(counts(got));
    // The one file (five.jsonl) is still being written: its checkpoint comes only once its .out object is complete.
    expect(admin.checkpoints).toEqual([]);
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    advance(HOUR);
    const stopped = await status(arn, ['Stopped']);
    const after = (await (await fetch(`${env.server.endpoint}/_emulator/jobs/${arn.split('/').pop()}`)).json()) as { checkpoints: { key: string; processed: number }[] };
    expect(after.checkpoints).toEqual([expect.objectContaining({ key: 'five.jsonl', processed: stopped.processedRecordCount })]);
  });

  it('expires a job that does not start before its timeout', async () => {
    config({ stateDurations: { Scheduled: 48 * HOUR } });
    const arn = await create({ timeoutDurationInHours: 24 });
    config({ stateDurations: { Scheduled: HOUR } });
    advance(2 * HOUR);
    await status(arn, ['Scheduled']);
    advance(22 * HOUR);
    const expired = await status(arn, ['Expired']);
    expect(expired.message).toMatch(/timeout of 24 hours/);
  });

  it('ends PartiallyCompleted when the timeout hits mid-way', async () => {
    const arn = await inProgress(HOUR, { timeoutDurationInHours: 24 });
    advance(2 * HOUR);
    expect((await waitFor(env.bedrock, arn, [], 2)).processedRecordCount).toBe(2);
    advance(19 * HOUR);
    const partial = await status(arn, ['PartiallyCompleted']);
    expect(partial.processedRecordCount).toBe(2);
    expect(partial.totalRecordCount).toBe(5);
  });

  it('never ends Completed with records missing: input shrunk after validation ends the job Failed', async () => {
    await putJsonl(env.s3, 'in-bucket', 'shrinks.jsonl', Array.from({ length: 5 }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
    const arn = await create({ inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://in-bucket/shrinks.jsonl' } } });
    advance(2 * HOUR);
    expect((await status(arn, ['Scheduled'])).totalRecordCount).toBe(5);
    await putJsonl(env.s3, 'in-bucket', 'shrinks.jsonl', Array.from({ length: 3 }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`record ${i}`) })));
    advance(2 * HOUR);
    const failed = await status(arn, ['Completed', 'Failed']);
    expect([failed.status, failed.totalRecordCount, failed.processedRecordCount]).toEqual(['Failed', 5, 3]);
    expect(failed.message).toMatch(/3 of the 5 records/);
  });

  it('refuses a job over the concurrent-jobs quota per model', async () => {
    config({ quotas: { maxConcurrentJobsPerModel: 1 } });
    const a = await create({ modelId: 'amazon.titan-text-lite-v1' });
    const err = await create({ modelId: 'amazon.titan-text-lite-v1' }).catch((e) => e);
    expect(err.name).toBe('ServiceQuotaExceededException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toContain('quota of 1');
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: a }));
    expect(await create({ modelId: 'amazon.titan-text-lite-v1' })).toMatch(/model-invocation-job/);
    config({ quotas: { maxConcurrentJobsPerModel: 100 } });
  });

  it('keeps state per region', async () => {
    const arn = await create();
    const other = clientsFor(env.server, 'us-west-2');
    const err = await waitFor(other.bedrock, arn).catch((e) => e);
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('batch job answers as AWS gives them', () => {
  const get = (arn: string) => env.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));

  it('LiteLLM #38744 (AWS reports totalRecordCount 0 while validating): the four record counts are 0 from submission', async () => {
    const arn = await create();
    const job = await get(arn);
    expect(job.status).toBe('Submitted');
    expect([job.totalRecordCount, job.processedRecordCount, job.successRecordCount, job.errorRecordCount]).toEqual([0, 0, 0, 0]);
    advance(HOUR);
    const validating = await status(arn, ['Validating']);
    expect(validating.totalRecordCount).toBe(0);
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
  });

  it('Apache Airflow and LiteLLM catch it: Stop on a Stopping or Stopped job answers ValidationException "State was: <status>"', async () => {
    const arn = await create();
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    const stopping = await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e) => e);
    expect([stopping.name, stopping.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(stopping.message).toContain('State was: Stopping');
    advance(HOUR);
    await status(arn, ['Stopped']);
    const stopped = await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e) => e);
    expect(stopped.name).toBe('ValidationException');
    expect(stopped.message).toContain('State was: Stopped');
  });

  it('Bedrock job names (Airflow BedrockCustomizeModelOperator matches the message): a name in use, even by a Stopped job, answers ValidationException', async () => {
    const arn = await create({ jobName: 'taken-name' });
    await env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn }));
    advance(HOUR);
    await status(arn, ['Stopped']);
    const again = await create({ jobName: 'taken-name' }).catch((e) => e);
    expect([again.name, again.$metadata.httpStatusCode, again.message]).toEqual(['ValidationException', 400, 'The provided job name is currently in use.']);
  });

  it('GetModelInvocationJob: a job made with an inference-profile id reads back with the profile ARN; a model id reads back unchanged', async () => {
    const viaProfile = await create({ modelId: 'us.anthropic.claude-3-haiku-20240307-v1:0' });
    const direct = await create();
    expect((await get(viaProfile)).modelId).toBe('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0');
    expect((await get(direct)).modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    const listed = await env.bedrock.send(new ListModelInvocationJobsCommand({}));
    const byArn = new Map(listed.invocationJobSummaries!.map((j) => [j.jobArn, j.modelId]));
    expect(byArn.get(viaProfile)).toBe('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0');
    expect(byArn.get(direct)).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    await Promise.all([viaProfile, direct].map((jobIdentifier) => env.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier }))));
  });
});
