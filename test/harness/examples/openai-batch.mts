import { GetObjectCommand, PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import OpenAI from 'openai';
import { startEmulator } from 'bedrock-batch-emulator/harness';

const emulator = await startEmulator({ defaultRegion: 'us-west-2' });
try {
  // The input: OpenAI batch JSONL in S3 (Bedrock's minimum is 100 requests a batch).
  const s3 = emulator.clients.s3;
  await s3.send(new CreateBucketCommand({ Bucket: 'amzn-s3-demo-bucket' }));
  const lines = Array.from({ length: 100 }, (_, i) => ({
    custom_id: `request-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'openai.gpt-oss-20b-1:0', messages: [{ role: 'user', content: `Summarize item ${i}` }], max_completion_tokens: 100 },
  }));
  await s3.send(new PutObjectCommand({ Bucket: 'amzn-s3-demo-bucket', Key: 'openai-input.jsonl', Body: lines.map((l) => JSON.stringify(l)).join('\n') }));

  // AWS's example: the role in default headers, the model in the create call's headers; base URL swapped.
  const client = new OpenAI({
    baseURL: emulator.openaiBaseURL,
    apiKey: 'any Bedrock API key',
    defaultHeaders: { 'X-Amzn-Bedrock-RoleArn': 'arn:aws:iam::123456789012:role/BatchServiceRole' },
  });
  let batch = await client.batches.create(
    { input_file_id: 's3://amzn-s3-demo-bucket/openai-input.jsonl', endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { description: 'test input' } },
    { headers: { 'X-Amzn-Bedrock-ModelId': 'openai.gpt-oss-20b-1:0' } },
  );
  while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
    await emulator.settle(); // timing 'instant': the batch moves on as soon as the emulator is idle
    batch = await client.batches.retrieve(batch.id);
  }
  console.log(batch.status, batch.request_counts, batch.output_file_id);

  // Results next to the input: s3://amzn-s3-demo-bucket/{batch id}/openai-input.jsonl.out (and .jsonl.err).
  const out = await s3.send(new GetObjectCommand({ Bucket: 'amzn-s3-demo-bucket', Key: `${batch.id}/openai-input.jsonl.out` }));
  const results = new Map((await out.Body!.transformToString()).trim().split('\n').map((l) => [JSON.parse(l).custom_id, JSON.parse(l)]));
  console.log(results.get('request-0').response.body.choices[0].message.content);
} finally {
  await emulator.stop();
}
