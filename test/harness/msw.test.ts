// The client in its AWS configuration — default hostnames, virtual-hosted S3, no endpoint override — running a
// batch end to end in-process through the msw handlers.
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/client/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { bedrockHandlers, Http2NotInterceptedError, inProcessClients, setupBedrockMsw } from '../../src/emulator/msw.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const claude = (text: string) => ({ modelInput: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 30, messages: [{ role: 'user', content: text }] } });

let emulator: EmulatorHandle;
let server: ReturnType<typeof setupBedrockMsw>;
// Requests to AWS hostnames msw saw (the forwards to the emulator's S3 and its job engine's calls are local).
const seen: URL[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
  server = setupBedrockMsw(emulator);
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.hostname.endsWith('.amazonaws.com')) seen.push(url);
  });
  server.listen();
});
afterAll(async () => {
  server.close();
  await emulator.stop();
});

describe('msw handlers', () => {
  it('run a batch end to end through the default AWS hostnames, with virtual-hosted S3', async () => {
    const clients = inProcessClients('us-east-1');
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'msw-bucket' }));
    seen.length = 0;
    const records = Array.from({ length: 6 }, (_, i) => (i === 2 ? { recordId: 'broken', modelInput: { messages: [] } } : claude(`record ${i}`)));
    const result = await runBatch({ model: HAIKU, records, bucket: 'msw-bucket', prefix: 'in-process', roleArn: ROLE, clients, minRecordsPerJob: 1, maxRecordsPerJob: 3, pollIntervalMs: 5 });

    expect(result.jobs.map((j) => j.status)).toEqual(['Completed', 'Completed']);
    expect(result.records.map((r) => r.recordId)).toEqual(records.map((r, i) => ('recordId' in r ? r.recordId : result.records[i].recordId)));
    expect(result.records[2].error?.errorCode).toBe(400);
    expect(result.records.filter((r) => r.output)).toHaveLength(5);
    expect(result.totals).toMatchObject({ totalRecordCount: 6, successRecordCount: 5, errorRecordCount: 1 });
    // The client spoke only to AWS hostnames, S3 virtual-hosted.
    const hosts = new Set(seen.map((u) => u.hostname));
    expect(hosts).toEqual(new Set(['bedrock.us-east-1.amazonaws.com', 'msw-bucket.s3.us-east-1.amazonaws.com']));
    // The job engine wrote to the emulator's own S3: the output is there for its clients too.
    const manifest = `in-process/${result.jobs[0].outputUri.split('/in-process/')[1]}manifest.json.out`;
    const text = await (await emulator.clients.s3.send(new GetObjectCommand({ Bucket: 'msw-bucket', Key: manifest }))).Body!.transformToString();
    expect(JSON.parse(text).totalRecordCount).toBe(3);
  });

  it('serve the runtime API, streams included, to a client on the HTTP/1.1 handler', async () => {
    const { bedrockRuntime } = inProcessClients('us-west-2');
    const reply = await bedrockRuntime.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    expect(reply.output?.message?.role).toBe('assistant');
    const stream = await bedrockRuntime.send(new InvokeModelWithResponseStreamCommand({ modelId: HAIKU, body: JSON.stringify(claude('stream').modelInput) }));
    const types: string[] = [];
    for await (const event of stream.body!) types.push(JSON.parse(new TextDecoder().decode(event.chunk!.bytes)).type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(seen.at(-1)!.hostname).toBe('bedrock-runtime.us-west-2.amazonaws.com');
  });

  it('answer AWS errors as AWS does (status, type, message) through the handlers', async () => {
    const { bedrockRuntime } = inProcessClients();
    const err = await bedrockRuntime.send(new ConverseCommand({ modelId: 'no.such-model', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((e) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('path-style S3 URLs work too', async () => {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'path-style' }));
    await s3.send(new PutObjectCommand({ Bucket: 'path-style', Key: 'a/b.txt', Body: 'hello' }));
    expect(seen.at(-1)!.href).toBe('https://s3.eu-west-1.amazonaws.com/path-style/a/b.txt?x-id=PutObject');
    const got = await emulator.clients.s3.send(new GetObjectCommand({ Bucket: 'path-style', Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');
  });

  it('large S3 bodies pass: a put, a multipart upload, and a request carrying Expect: 100-continue', async () => {
    const { s3 } = inProcessClients();
    await s3.send(new CreateBucketCommand({ Bucket: 'large-bodies' }));
    await s3.send(new PutObjectCommand({ Bucket: 'large-bodies', Key: 'put', Body: 'p'.repeat(3 * 1024 * 1024) }));
    await new Upload({ client: s3, params: { Bucket: 'large-bodies', Key: 'multipart', Body: 'm'.repeat(6 * 1024 * 1024) } }).done();
    for (const [key, size] of [['put', 3], ['multipart', 6]] as const) {
      const head = await emulator.clients.s3.send(new HeadObjectCommand({ Bucket: 'large-bodies', Key: key }));
      expect(head.ContentLength).toBe(size * 1024 * 1024);
    }
    expect(seen.some((u) => u.searchParams.has('uploadId'))).toBe(true);
    // What an S3 client sends for bodies over 2 MB; Node's fetch refuses the header, so the forward drops it.
    const request = new Request('https://large-bodies.s3.us-east-1.amazonaws.com/expect', { method: 'PUT', headers: { expect: '100-continue' }, body: 'e' });
    server.close();
    try {
      expect((await getResponse(bedrockHandlers(emulator), request))?.status).toBe(200);
    } finally {
      server.listen();
    }
  });

  it('a runtime client left on its default HTTP/2 handler fails at once with an error that names the fix', async () => {
    const forgot = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const err = await forgot.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((e) => e);
    expect(err).toBeInstanceOf(Http2NotInterceptedError);
    expect(err.message).toMatch(/requestHandler: new NodeHttpHandler\(\)/);
    expect(err.message).toContain('bedrock-runtime.us-east-1.amazonaws.com');
    // HTTP/2 to a local endpoint (the harness's own clients) is untouched.
    const local = await emulator.clients.bedrockRuntime.send(new ConverseCommand({ modelId: HAIKU, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
    expect(local.output?.message?.role).toBe('assistant');
  });

  it('bedrockHandlers alone fit an existing msw server; the HTTP/2 guard is released on close', async () => {
    expect(bedrockHandlers(emulator.server)).toHaveLength(2);
    expect(bedrockHandlers(emulator.server.emu)).toHaveLength(2);
    const { setupServer } = await import('msw/node');
    const other = setupServer(...bedrockHandlers(emulator));
    server.close();
    try {
      other.listen({ onUnhandledRequest: 'bypass' });
      const out = await inProcessClients('ap-northeast-1').bedrock.send(new ListFoundationModelsCommand({}));
      expect(out.modelSummaries?.length).toBeGreaterThan(0);
    } finally {
      other.close();
      server.listen();
    }
  });
});
