import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { runBatch } from 'bedrock-batch-emulator/client';
import { startEmulator } from 'bedrock-batch-emulator/harness';
import { inProcessClients, setupBedrockMsw } from 'bedrock-batch-emulator/msw';

const emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
// Serves bedrock.*.amazonaws.com and bedrock-runtime.*.amazonaws.com in-process, and S3 (virtual-hosted or
// path style) from the emulator's S3; unhandled requests pass through.
const server = setupBedrockMsw(emulator);
server.listen();
try {
  // Clients as in production: default hostnames, no endpoint. The runtime one must not use HTTP/2, which msw
  // can't intercept: inProcessClients() gives it `requestHandler: new NodeHttpHandler()`.
  const clients = inProcessClients('us-east-1');
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'msw-bucket' }));
  const result = await runBatch({
    model: 'amazon.titan-embed-text-v2:0',
    records: [{ modelInput: { inputText: 'hello' } }],
    bucket: 'msw-bucket',
    roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
    clients,
    minRecordsPerJob: 1,
    pollIntervalMs: 10,
  });
  const reply = await clients.bedrockRuntime.send(
    new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
  );
  if (!result.records[0].output || reply.output?.message?.role !== 'assistant') throw new Error('unexpected result');
} finally {
  server.close();
  await emulator.stop();
}
