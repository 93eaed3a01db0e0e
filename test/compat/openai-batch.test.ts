// The OpenAI Batch API on the runtime host (/openai/v1/batches), driven by the official `openai` SDK as AWS's
// example drives it: input JSONL in S3, `X-Amzn-Bedrock-RoleArn` / `X-Amzn-Bedrock-ModelId` headers, results in
// `{input folder}/{batch id}/{input}.jsonl.out` and `.err`. Lifecycle steps move on the emulator's clock
// (timing 'manual'), never on wall-clock sleeps.
import { GetModelInvocationJobCommand, ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const HOUR = 3_600_000;
const GPT = 'openai.gpt-oss-20b-1:0';
const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
const BUCKET = 'amzn-s3-demo-bucket';

let emu: EmulatorHandle;
let client: OpenAI;

beforeAll(async () => {
  emu = await startEmulator({ region: 'us-west-2', defaultRegion: 'us-west-2', timing: 'manual', quotas: { maxConcurrentJobsPerModel: 100 } });
  // As AWS's SDK example: the role in default_headers, the model in extra_headers of each create.
  client = new OpenAI({ baseURL: emu.openaiBaseURL, apiKey: 'bedrock-api-key-test', maxRetries: 0, defaultHeaders: { 'X-Amzn-Bedrock-RoleArn': ROLE } });
  await emu.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => emu.stop());

const request = (i: number, body: Record<string, unknown> = {}, url = '/v1/chat/completions') => ({
  custom_id: `request-${i}`,
  method: 'POST',
  url,
  body: { model: GPT, messages: [{ role: 'user', content: `Summarize item ${i}` }], max_completion_tokens: 40, ...body },
});

async function putLines(key: string, lines: unknown[]) {
  await emu.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: lines.map((l) => JSON.stringify(l)).join('\n') + '\n' }));
  return `s3://${BUCKET}/${key}`;
}

async function read(key: string) {
  const out = await emu.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await out.Body!.transformToString()).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const create = (input: string, metadata: Record<string, string> = { description: 'test input' }) =>
  client.batches.create({ input_file_id: input, endpoint: '/v1/chat/completions', completion_window: '24h', metadata }, { headers: { 'X-Amzn-Bedrock-ModelId': GPT } });

/** Moves the clock on until the batch reaches `status` (each manual state lasts an hour). */
/** Waits on the emulator's job events (GET /_emulator/jobs/{id}/wait) for the batch's job. */
async function jobEvent(batchId: string, condition: string) {
  const res = await fetch(`${emu.endpoints.bedrock}/_emulator/jobs/${batchId.slice('batch_'.length)}/wait?${condition}&timeoutMs=30000`);
  expect((await res.json()).reached).toBe(true);
}

async function until(id: string, status: string) {
  for (let i = 0; i < 10; i++) {
    const batch = await client.batches.retrieve(id);
    if (batch.status === status) return batch;
    await emu.clock.advance(HOUR);
  }
  throw new Error(`batch ${id} never reached ${status}`);
}

describe('a 100-request batch, end to end', () => {
  it('goes validating → in_progress → finalizing → completed, with results next to the input, joined by custom_id', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => request(i));
    const input = await putLines('jobs/openai-input.jsonl', lines);
    const created = await create(input);
    expect(created).toMatchObject({ object: 'batch', endpoint: '/v1/chat/completions', input_file_id: input, completion_window: '24h', status: 'validating', metadata: { description: 'test input' } });
    expect(created.id).toMatch(/^batch_/);
    expect(created.expires_at! - created.created_at).toBe(24 * 3600);

    expect((await until(created.id, 'in_progress')).request_counts).toEqual({ total: 100, completed: 0, failed: 0 });
    const finalizing = await until(created.id, 'finalizing');
    expect(finalizing.request_counts).toEqual({ total: 100, completed: 100, failed: 0 });
    const done = await until(created.id, 'completed');
    expect(done.completed_at).toBeGreaterThanOrEqual(done.finalizing_at!);
    expect(done.in_progress_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.output_file_id).toBe(`s3://${BUCKET}/jobs/${created.id}/openai-input.jsonl.out`);
    expect(done.error_file_id).toBeNull();

    const out = await read(`jobs/${created.id}/openai-input.jsonl.out`);
    expect(await read(`jobs/${created.id}/openai-input.jsonl.err`)).toEqual([]);
    const byId = new Map(out.map((l) => [l.custom_id, l]));
    expect(byId.size).toBe(100);
    // Each result is what Chat Completions answers for the same body.
    for (const i of [0, 42, 99]) {
      const line = byId.get(`request-${i}`);
      expect(line).toMatchObject({ custom_id: `request-${i}`, error: null, response: { status_code: 200, body: { object: 'chat.completion', model: GPT } } });
      expect(line.id).toMatch(/^batch_req_/);
      const live = await client.chat.completions.create(lines[i].body as never);
      expect(line.response.body.choices[0].message.content).toBe(live.choices[0].message.content);
      expect(line.response.body.usage).toEqual(live.usage);
    }
  });

  it('is a Bedrock batch job too: ListModelInvocationJobs and GetModelInvocationJob show it with its Bedrock status', async () => {
    const input = await putLines('visible/in.jsonl', Array.from({ length: 100 }, (_, i) => request(i)));
    const batch = await create(input);
    const jobId = batch.id.slice('batch_'.length);
    const listed = await emu.clients.bedrock.send(new ListModelInvocationJobsCommand({}));
    const summary = listed.invocationJobSummaries!.find((j) => j.jobArn!.endsWith(`/${jobId}`));
    expect(summary).toMatchObject({ status: 'Submitted', modelId: GPT, roleArn: ROLE, inputDataConfig: { s3InputDataConfig: { s3Uri: input } } });
    await until(batch.id, 'completed');
    const job = await emu.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: summary!.jobArn }));
    expect(job.status).toBe('Completed');
    expect(job.outputDataConfig!.s3OutputDataConfig!.s3Uri).toBe(`s3://${BUCKET}/visible/${batch.id}/`);
  });

  it('counts a wrong url, another model and a body the model refuses as failed requests in .err, not fatal', async () => {
    const lines = [
      ...Array.from({ length: 97 }, (_, i) => request(i)),
      request(97, {}, '/v1/embeddings'),
      request(98, { model: 'openai.gpt-oss-120b-1:0' }),
      request(99, { max_completion_tokens: 0 }),
    ];
    const batch = await create(await putLines('mixed/in.jsonl', lines));
    const done = await until(batch.id, 'completed');
    expect(done.request_counts).toEqual({ total: 100, completed: 97, failed: 3 });
    expect(done.error_file_id).toBe(`s3://${BUCKET}/mixed/${batch.id}/in.jsonl.err`);
    const errors = new Map((await read(`mixed/${batch.id}/in.jsonl.err`)).map((l) => [l.custom_id, l]));
    expect(errors.get('request-97')).toMatchObject({ response: null, error: { code: 'invalid_url' } });
    expect(errors.get('request-98')).toMatchObject({ response: null, error: { code: 'model_mismatch' } });
    expect(errors.get('request-99')).toMatchObject({ error: null, response: { status_code: 400, body: { error: { type: 'invalid_request_error', param: 'max_completion_tokens' } } } });
    expect(await read(`mixed/${batch.id}/in.jsonl.out`)).toHaveLength(97);
  });

  it('fails a batch whose file is not OpenAI batch JSONL, or holds fewer requests than the minimum', async () => {
    const bad = await create(await putLines('bad/in.jsonl', [...Array.from({ length: 99 }, (_, i) => request(i)), { custom_id: 'x', body: {} }]));
    const failed = await until(bad.id, 'failed');
    expect(failed.errors!.data![0].message).toContain('Line 100');
    expect(failed.failed_at).not.toBeNull();
    const few = await create(await putLines('few/in.jsonl', [request(1)]));
    expect((await until(few.id, 'failed')).errors!.data![0].message).toContain('minimum of 100');
  });
});

describe('cancel', () => {
  const input = () => putLines('cancel/in.jsonl', Array.from({ length: 100 }, (_, i) => request(i)));

  it.each([
    ['validating', 0],
    ['in_progress', 2],
  ])('cancels from %s: cancelling, then cancelled', async (from, hours) => {
    const batch = await create(await input());
    await emu.clock.advance(hours * HOUR);
    expect((await client.batches.retrieve(batch.id)).status).toBe(from);
    const cancelling = await client.batches.cancel(batch.id);
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.cancelling_at).not.toBeNull();
    const cancelled = await until(batch.id, 'cancelled');
    expect(cancelled.cancelled_at).toBeGreaterThanOrEqual(cancelled.cancelling_at!);
  });

  it('cancels from in_progress while requests run, keeping the results written so far', async () => {
    emu.server.emu.config.update({ recordsPerSecond: 1 / 60 });
    const batch = await create(await input());
    emu.server.emu.config.update({ recordsPerSecond: 0 });
    // The harness's advance() waits for quiet, which a paced run never is: move the clock itself, then wait on the
    // job's events.
    const clock = emu.server.emu.clock;
    clock.advance(3 * HOUR); // InProgress, one request a minute
    await jobEvent(batch.id, 'status=InProgress');
    clock.advance(2 * 60_000);
    await jobEvent(batch.id, 'processed=2');
    const running = await client.batches.retrieve(batch.id);
    expect(running.status).toBe('in_progress');
    expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
    const cancelled = await until(batch.id, 'cancelled');
    expect(cancelled.request_counts!.completed).toBe(2);
    expect(cancelled.output_file_id).not.toBeNull();
    expect((await read(`cancel/${batch.id}/in.jsonl.out`)).map((l) => l.custom_id)).toEqual(['request-0', 'request-1']);
  });

  it('cancels from finalizing', async () => {
    const batch = await create(await input());
    await until(batch.id, 'finalizing');
    expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
    const cancelled = await until(batch.id, 'cancelled');
    expect(cancelled.request_counts).toEqual({ total: 100, completed: 100, failed: 0 });
  });

  it("takes AWS's HTTP form of cancel too (GET …/cancel)", async () => {
    const batch = await create(await input());
    const res = await fetch(`${emu.openaiBaseURL}/batches/${batch.id}/cancel`, { headers: { authorization: 'Bearer bedrock-api-key-test' } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('cancelling');
  });

  it('answers a cancel of a cancelling batch with the batch as it stands, and refuses one of a finished batch', async () => {
    const batch = await create(await input());
    await client.batches.cancel(batch.id);
    expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
    await until(batch.id, 'cancelled');
    const err = await client.batches.cancel(batch.id).then(() => undefined, (e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(409);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', message: "Cannot cancel a batch with status 'cancelled'." });
  });
});

describe('create, retrieve and list: checks and errors', () => {
  it.each([
    ['no X-Amzn-Bedrock-ModelId', {}, { 'X-Amzn-Bedrock-ModelId': null }, 'X-Amzn-Bedrock-ModelId'],
    ['no X-Amzn-Bedrock-RoleArn', {}, { 'X-Amzn-Bedrock-RoleArn': null, 'X-Amzn-Bedrock-ModelId': GPT }, 'X-Amzn-Bedrock-RoleArn'],
    ['an endpoint other than /v1/chat/completions', { endpoint: '/v1/embeddings' }, { 'X-Amzn-Bedrock-ModelId': GPT }, 'endpoint'],
    ['an input_file_id that is no S3 URI', { input_file_id: 'file-abc123' }, { 'X-Amzn-Bedrock-ModelId': GPT }, 'input_file_id'],
    ['a model that is not an OpenAI model', {}, { 'X-Amzn-Bedrock-ModelId': 'anthropic.claude-3-haiku-20240307-v1:0' }, 'X-Amzn-Bedrock-ModelId'],
  ])('refuses a create with %s (400, OpenAI error body)', async (_what, body, headers, param) => {
    const err = await client.batches
      .create({ input_file_id: `s3://${BUCKET}/x.jsonl`, endpoint: '/v1/chat/completions', completion_window: '24h', ...body } as never, { headers })
      .then(() => undefined, (e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('answers an unknown batch id with 404', async () => {
    const err = await client.batches.retrieve('batch_abc123').then(() => undefined, (e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'not_found_error', message: "No batch found with id 'batch_abc123'." });
  });

  it('lists newest first, in pages (limit, after), and only batches', async () => {
    const input = await putLines('list/in.jsonl', Array.from({ length: 100 }, (_, i) => request(i)));
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push((await create(input, { n: String(i) })).id);
      await emu.clock.advance(1000);
    }
    const first = await client.batches.list({ limit: 2 });
    expect(first.data.map((b) => b.id)).toEqual([made[2], made[1]]);
    expect(first.has_more).toBe(true);
    const ids: string[] = [];
    for await (const b of client.batches.list({ limit: 2 })) ids.push(b.id);
    expect(ids.slice(0, 3)).toEqual([...made].reverse());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
