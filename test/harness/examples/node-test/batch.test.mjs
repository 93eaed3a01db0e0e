// Run with: node --test
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { runBatch } from 'bedrock-batch-emulator/client';
import { startEmulator } from 'bedrock-batch-emulator/harness';
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

let emulator;
before(async () => (emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } })));
afterEach(() => emulator.reset());
after(() => emulator.stop());

test('runs a batch on the emulator', async () => {
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'node-test-bucket' }));
  const result = await runBatch({
    model: 'amazon.titan-embed-text-v2:0',
    records: [{ recordId: 'doc-1', modelInput: { inputText: 'hello' } }],
    bucket: 'node-test-bucket',
    roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
    clients: emulator.clients,
    minRecordsPerJob: 1,
    pollIntervalMs: 10,
  });
  assert.equal(result.jobs[0].status, 'Completed');
  assert.equal(result.records[0].output.embedding.length, 1024);
});
