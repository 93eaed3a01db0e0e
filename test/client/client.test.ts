import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, parseJsonl, parseOutputLine, resumeBatch, runBatch, splitRecords } from '../../src/client/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { bedrockHandlers, inProcessClients } from '../../src/emulator/msw.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const claude = (text: string) => ({ modelInput: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 30, messages: [{ role: 'user', content: text }] } });

describe('client pieces', () => {
  it('splits records into jobs and files within the quotas, none under the minimum', () => {
    const jobs = splitRecords(Array.from({ length: 25 }, (_, i) => i), { maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 5 });
    expect(jobs.map((files) => files.flat().length)).toEqual([9, 8, 8]);
    expect(jobs.flat(2)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(jobs.flat().every((f) => f.length <= 4)).toBe(true);
    expect(() => splitRecords([1], { maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 5 })).toThrow(InputError);
  });

  it('names the file and line of a bad JSONL line', () => {
    expect(() => parseJsonl('{"modelInput": {}}\n{"recordId": "x"}\n', 'in.jsonl')).toThrow(/^in.jsonl:2: missing the "modelInput" object/);
    expect(() => parseJsonl('nope', 'a.jsonl')).toThrow(/^a.jsonl:1: not valid JSON/);
  });

  it('parses output and error lines', () => {
    expect(parseOutputLine('{"recordId":"a","modelInput":{},"modelOutput":{"x":1}}')).toEqual({ recordId: 'a', modelInput: {}, output: { x: 1 } });
    expect(parseOutputLine('{"recordId":"b","modelInput":{},"error":{"errorCode":400,"errorMessage":"m"}}').error).toEqual({ errorCode: 400, errorMessage: 'm' });
  });
});

describe('runBatch against the emulator (harness)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
    await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'batch-bucket' }));
  });
  afterAll(() => emulator.stop());

  it('splits, submits, waits, downloads and joins every record', async () => {
    const records = Array.from({ length: 25 }, (_, i) => (i === 7 ? { recordId: 'broken', modelInput: { messages: [] } } : claude(`record ${i}`)));
    const progress: number[] = [];
    const result = await runBatch({
      model: 'anthropic.claude-3-haiku-20240307-v1:0', records, bucket: 'batch-bucket', prefix: 'runs', roleArn: ROLE,
      clients: emulator.clients, maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 1, pollIntervalMs: 5,
      onProgress: (p) => progress.push(p.processedRecords),
    });
    expect(result.jobs).toHaveLength(3);
    expect(result.jobs.every((j) => j.status === 'Completed')).toBe(true);
    expect(result.records).toHaveLength(25);
    expect(result.records[7]).toMatchObject({ recordId: 'broken', error: { errorCode: 400 } });
    expect(result.records.filter((r) => r.output)).toHaveLength(24);
    expect(result.totals).toMatchObject({ totalRecordCount: 25, successRecordCount: 24, errorRecordCount: 1 });
    expect(progress.at(-1)).toBe(25);
  });

  it('resumes from job ARNs', async () => {
    const submitted = await runBatch({ model: 'amazon.titan-embed-text-v2:0', records: [{ modelInput: { inputText: 'a' } }, { modelInput: { inputText: 'b' } }], bucket: 'batch-bucket', roleArn: ROLE, clients: emulator.clients, minRecordsPerJob: 1, wait: false });
    const resumed = await resumeBatch({ jobArns: submitted.jobs.map((j) => j.jobArn), clients: emulator.clients, pollIntervalMs: 5 });
    expect(resumed.records.map((r) => (r.output as { embedding: number[] }).embedding.length)).toEqual([1024, 1024]);
  });

  it('reset empties state and keeps the endpoints', async () => {
    await emulator.reset();
    const out = await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'batch-bucket' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});

describe('in-process with msw: the client in its AWS configuration', () => {
  let emulator: EmulatorHandle;
  const server = setupServer();
  beforeAll(async () => {
    emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
    server.use(...bedrockHandlers(emulator));
    server.listen({ onUnhandledRequest: 'bypass' });
  });
  afterAll(async () => {
    server.close();
    await emulator.stop();
  });

  it('runs a batch end to end through default AWS hostnames and virtual-hosted S3', async () => {
    const clients = inProcessClients('us-east-1');
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'msw-bucket' }));
    const result = await runBatch({ model: 'anthropic.claude-3-haiku-20240307-v1:0', records: [claude('one'), claude('two')], bucket: 'msw-bucket', roleArn: ROLE, clients, minRecordsPerJob: 1, pollIntervalMs: 5 });
    expect(result.jobs[0].status).toBe('Completed');
    expect(result.records.every((r) => r.output)).toBe(true);
    const reply = await clients.bedrockRuntime.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    expect(reply.output?.message?.role).toBe('assistant');
  });
});
