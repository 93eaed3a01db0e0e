// runOpenAIBatch: a batch through the runtime host's OpenAI Batch API, end to end against the emulator over its
// port (plain fetch with an API key, S3 through the SDK), results joined to the requests by custom_id.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OpenAIBatchError, runOpenAIBatch } from '../../src/client/index.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ region: 'us-west-2', defaultRegion: 'us-west-2', quotas: { minRecordsPerJob: 1 } });
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'oa-bucket' }));
});
afterAll(() => emulator.stop());

const options = (requests: { custom_id: string; body: Record<string, unknown> }[], model = 'openai.gpt-oss-20b-1:0') => ({
  baseURL: emulator.openaiBaseURL,
  apiKey: 'bedrock-api-key-test',
  model,
  roleArn: ROLE,
  requests,
  bucket: 'oa-bucket',
  key: 'runs/requests.jsonl',
  s3: emulator.clients.s3,
  pollIntervalMs: 5,
});

it('submits, waits and joins .out and .err lines to the requests in order', async () => {
  const requests = Array.from({ length: 6 }, (_, i) => ({ custom_id: `q${i}`, body: { messages: [{ role: 'user', content: `question ${i}` }], max_completion_tokens: i === 4 ? 0 : 30 } }));
  const statuses: string[] = [];
  const { batch, results } = await runOpenAIBatch({ ...options(requests), metadata: { run: 'client' }, onUpdate: (b) => statuses.push(b.status) });
  expect(batch).toMatchObject({ status: 'completed', request_counts: { total: 6, completed: 5, failed: 1 }, metadata: { run: 'client' } });
  expect(statuses.at(-1)).toBe('completed');
  expect(results.map((r) => r.custom_id)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
  for (const r of results.filter((r) => r.custom_id !== 'q4')) expect(r).toMatchObject({ status_code: 200, body: { object: 'chat.completion' } });
  expect(results[4]).toMatchObject({ status_code: 400, error: { type: 'invalid_request_error', param: 'max_completion_tokens' } });
});

it("raises the API's error for a batch it refuses", async () => {
  const err = await runOpenAIBatch(options([{ custom_id: 'a', body: { messages: [] } }], 'anthropic.claude-3-haiku-20240307-v1:0')).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAIBatchError);
  expect((err as OpenAIBatchError).status).toBe(400);
  expect((err as OpenAIBatchError).error).toMatchObject({ param: 'X-Amzn-Bedrock-ModelId' });
});
