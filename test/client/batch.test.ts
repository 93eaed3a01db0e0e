// runBatch, submitBatch and resumeBatch against the emulator through the real SDK clients over real ports.
import { ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, resumeBatch, runBatch, submitBatch, toJsonl, type Progress } from '../../src/client/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const EMBED = 'amazon.titan-embed-text-v2:0';
const claude = (text: string, max_tokens = 30) => ({ modelInput: { anthropic_version: 'bedrock-2023-05-31', max_tokens, messages: [{ role: 'user', content: text }] } });
const BUCKET = 'batch-bucket';

let emulator: EmulatorHandle;
const dir = mkdtempSync(join(tmpdir(), 'bbe-client-'));
beforeAll(async () => {
  emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

const keys = async (prefix: string) =>
  ((await emulator.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
const jobCount = async () => (await emulator.clients.bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 1000 }))).invocationJobSummaries!.length;

describe('runBatch', () => {
  it('splits into jobs and files, waits, downloads every .out file and joins each record in input order', async () => {
    const records = Array.from({ length: 25 }, (_, i) => (i === 7 ? { recordId: 'broken', modelInput: { messages: [] } } : claude(`record ${i}`)));
    const progress: Progress[] = [];
    const result = await runBatch({
      model: HAIKU, records, bucket: BUCKET, prefix: 'runs/split', roleArn: ROLE, jobName: 'split-test', clients: emulator.clients,
      maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 5, pollIntervalMs: 5, onProgress: (p) => progress.push(p),
    });

    expect(result.jobs.map((j) => [j.jobName, j.status])).toEqual([['split-test-1of3', 'Completed'], ['split-test-2of3', 'Completed'], ['split-test-3of3', 'Completed']]);
    expect(await keys('runs/split/split-test/input/part-1/')).toEqual([1, 2, 3].map((f) => `runs/split/split-test/input/part-1/records-${f}.jsonl`));
    expect(result.records).toHaveLength(25);
    expect(result.records[7]).toMatchObject({ recordId: 'broken', error: { errorCode: 400 } });
    expect(result.records.every((r, i) => i === 7 || ((r.output as { content: unknown[] }).content.length > 0 && r.modelInput !== undefined))).toBe(true);
    expect(result.records.map((r) => r.modelInput)).toEqual(records.map((r) => r.modelInput));
    expect(result.totals).toMatchObject({ totalRecordCount: 25, processedRecordCount: 25, successRecordCount: 24, errorRecordCount: 1 });
    expect(result.totals.outputTokenCount).toBe(result.jobs.reduce((n, j) => n + j.totals!.outputTokenCount, 0));
    expect(progress.at(-1)).toMatchObject({ jobs: 3, submittedJobs: 3, finishedJobs: 3, totalRecords: 25, processedRecords: 25, successRecords: 24, errorRecords: 1 });
    expect(progress.every((p, i) => i === 0 || p.finishedJobs >= progress[i - 1].finishedJobs)).toBe(true);
  });

  it('reads an input file and uploads a large one as a multipart upload', async () => {
    const file = join(dir, 'large.jsonl');
    const text = 'x'.repeat(5_000);
    writeFileSync(file, toJsonl(Array.from({ length: 1_100 }, (_, i) => ({ recordId: `r${i}`, ...claude(`${i} ${text}`, 5) }))));
    const commands: string[] = [];
    emulator.clients.s3.middlewareStack.add((next, context) => (args) => (commands.push(context.commandName!), next(args)), { step: 'initialize', name: 'spy' });
    const result = await runBatch({ model: HAIKU, inputFile: file, bucket: BUCKET, prefix: 'runs/large', jobName: 'large', roleArn: ROLE, clients: emulator.clients, pollIntervalMs: 5 }).finally(() =>
      emulator.clients.s3.middlewareStack.remove('spy'),
    );
    const head = await emulator.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'runs/large/large/input/part-1/records-1.jsonl' }));
    expect(head.ContentLength).toBeGreaterThan(5 * 1024 * 1024);
    expect(commands.filter((c) => /Multipart|UploadPart/.test(c))).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    expect(commands).not.toContain('PutObjectCommand');
    expect(result.totals.successRecordCount).toBe(1_100);
    expect(result.records.map((r) => r.recordId)).toEqual(Array.from({ length: 1_100 }, (_, i) => `r${i}`));
  });

  it('runs Converse records when asked', async () => {
    const records = [{ modelInput: { messages: [{ role: 'user', content: [{ text: 'hello' }] }], inferenceConfig: { maxTokens: 20 } } }];
    const result = await runBatch({ model: HAIKU, records, modelInvocationType: 'Converse', bucket: BUCKET, roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1, pollIntervalMs: 5 });
    expect((result.records[0].output as { output: { message: { role: string } } }).output.message.role).toBe('assistant');
  });

  it('called again with the same jobName and records, returns the jobs already made instead of new ones', async () => {
    // No recordIds: those runBatch adds derive from the jobName, so the second call sends the same bytes.
    const records = Array.from({ length: 4 }, (_, i) => ({ modelInput: { inputText: `text ${i}` } }));
    const options = { model: EMBED, records, bucket: BUCKET, prefix: 'runs/again', jobName: 'again', roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1, maxRecordsPerJob: 2, pollIntervalMs: 5 };
    const first = await runBatch(options);
    const before = await jobCount();
    const second = await runBatch(options);
    expect(second.jobs.map((j) => j.jobArn)).toEqual(first.jobs.map((j) => j.jobArn));
    expect(await jobCount()).toBe(before);
    expect(second.records).toEqual(first.records);
    // Different records under the same name are a different batch, and AWS keeps job names taken: refused.
    const third = await runBatch({ ...options, records: records.map((r, i) => ({ ...r, modelInput: { inputText: `other ${i}` } })) }).catch((e) => e);
    expect([third.name, third.message]).toEqual(['ValidationException', 'The provided job name is currently in use.']);
  });

  it('waits out the per-model jobs quota instead of failing, and honours maxConcurrentJobs', async () => {
    await fetch(`${emulator.endpoints.bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quotas: { maxConcurrentJobsPerModel: 1 } }) });
    try {
      const records = Array.from({ length: 6 }, (_, i) => ({ modelInput: { inputText: `quota ${i}` } }));
      const active: number[] = [];
      const onProgress = (p: Progress) => active.push(Object.values(p.statuses).filter((s) => !['Completed', 'Failed', 'Stopped', 'Expired', 'PartiallyCompleted'].includes(s)).length);
      // More jobs at once than the quota allows: Create answers ServiceQuotaExceededException and runBatch retries.
      const refusals: string[] = [];
      emulator.clients.bedrock.middlewareStack.add((next) => (args) => next(args).catch((e: Error) => (refusals.push(e.name), Promise.reject(e))), { step: 'initialize', name: 'spy' });
      const over = await runBatch({ model: EMBED, records, bucket: BUCKET, roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1, maxRecordsPerJob: 2, maxConcurrentJobs: 3, pollIntervalMs: 5, maxPollIntervalMs: 20 }).finally(() =>
        emulator.clients.bedrock.middlewareStack.remove('spy'),
      );
      expect(over.jobs.map((j) => j.status)).toEqual(['Completed', 'Completed', 'Completed']);
      expect(refusals.length).toBeGreaterThan(0);
      expect(new Set(refusals)).toEqual(new Set(['ServiceQuotaExceededException']));
      const one = await runBatch({ model: EMBED, records, bucket: BUCKET, roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1, maxRecordsPerJob: 2, maxConcurrentJobs: 1, pollIntervalMs: 5, onProgress });
      expect(one.totals.successRecordCount).toBe(6);
      expect(Math.max(...active)).toBe(1);
    } finally {
      await emulator.reset();
      await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    }
  });

  it('refuses bad input before sending anything', async () => {
    const base = { model: HAIKU, records: [claude('a')], bucket: BUCKET, roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1 };
    const before = await jobCount();
    await expect(runBatch({ ...base, jobName: 'has_underscore' })).rejects.toThrow(/jobName 'has_underscore' is not a valid batch job name/);
    await expect(runBatch({ ...base, prefix: 'a b/c' })).rejects.toThrow(/prefix 'a b\/c' has a segment/);
    await expect(runBatch({ ...base, records: undefined, inputFile: join(dir, 'none.jsonl') })).rejects.toThrow(/none\.jsonl does not exist/);
    await expect(runBatch({ ...base, inputFile: 'x.jsonl' })).rejects.toThrow(InputError);
    await expect(runBatch({ ...base, minRecordsPerJob: 100 })).rejects.toThrow(/at least 100 records/);
    expect(await jobCount()).toBe(before);
  });
});

describe('when jobs do not finish', () => {
  let manual: EmulatorHandle;
  beforeAll(async () => {
    manual = await startEmulator({ timing: 'manual', quotas: { minRecordsPerJob: 1 } });
    await manual.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(() => manual.stop());

  it('resumeBatch picks up the jobs a crashed caller left, from the ARNs onJobCreated gave', async () => {
    const records = Array.from({ length: 4 }, (_, i) => ({ recordId: `resume-${i}`, modelInput: { inputText: `text ${i}` } }));
    const arns: string[] = [];
    const crash = new AbortController();
    const run = runBatch({
      model: EMBED, records, bucket: BUCKET, roleArn: ROLE, clients: manual.clients, minRecordsPerJob: 1, maxRecordsPerJob: 2, pollIntervalMs: 5, signal: crash.signal,
      onJobCreated: (job) => {
        arns.push(job.jobArn);
        if (arns.length === 2) crash.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    const resumed = resumeBatch({ jobArns: arns, records, clients: manual.clients, pollIntervalMs: 5 });
    await manual.clock.advance(5 * 3_600_000);
    const result = await resumed;
    expect(result.jobs.map((j) => j.status)).toEqual(['Completed', 'Completed']);
    expect(result.records.map((r) => [r.recordId, (r.output as { embedding: number[] }).embedding.length])).toEqual(records.map((r) => [r.recordId, 1024]));
  });

  it('records of a job that ended without output are marked missing, with the reason', async () => {
    const failed = async (jobArn: string) => {
      const id = jobArn.split('/').pop();
      await fetch(`${manual.endpoints.bedrock}/_emulator/jobs/${id}/force`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'Failed', message: 'forced by the test' }) });
    };
    const records = [{ recordId: 'lost', modelInput: { inputText: 'x' } }];
    const result = await runBatch({ model: EMBED, records, bucket: BUCKET, roleArn: ROLE, clients: manual.clients, minRecordsPerJob: 1, pollIntervalMs: 5, onJobCreated: (j) => void failed(j.jobArn) });
    expect(result.jobs[0]).toMatchObject({ status: 'Failed', message: 'forced by the test' });
    expect(result.jobs[0].totals).toBeUndefined();
    expect(result.records).toEqual([{ recordId: 'lost', modelInput: { inputText: 'x' }, missing: expect.stringMatching(/No output line for this record: .* ended Failed \(forced by the test\)/) }]);
  });

  it('submitBatch creates the jobs and returns at once', async () => {
    const records = Array.from({ length: 3 }, (_, i) => ({ modelInput: { inputText: `s ${i}` } }));
    const { jobs, recordIds } = await submitBatch({ model: EMBED, records, bucket: BUCKET, prefix: 'submitted', roleArn: ROLE, clients: manual.clients, minRecordsPerJob: 1, maxRecordsPerJob: 2 });
    expect(jobs.map((j) => [j.part, j.recordCount, j.inputUri])).toEqual([
      [0, 2, expect.stringMatching(/^s3:\/\/batch-bucket\/submitted\/batch-\d{14}-[0-9a-f]{6}\/input\/part-1\/$/)],
      [1, 1, expect.stringMatching(/\/input\/part-2\/$/)],
    ]);
    expect(recordIds).toHaveLength(3);
    await expect(resumeBatch({ jobArns: jobs.map((j) => j.jobArn), records, clients: manual.clients })).rejects.toThrow(/Record 1 has no recordId/);
    const result = resumeBatch({ jobArns: jobs.map((j) => j.jobArn), clients: manual.clients, pollIntervalMs: 5 });
    await manual.clock.advance(5 * 3_600_000);
    expect((await result).records.map((r) => r.recordId).sort()).toEqual([...recordIds].sort());
  });
});
