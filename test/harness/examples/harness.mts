import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { runBatch } from 'bedrock-batch-emulator/client';
import { startEmulator } from 'bedrock-batch-emulator/harness';

// Random ports, a temp data dir removed on stop(), every job state passing at once (timing: 'instant').
const emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
try {
  await emulator.clients.s3.send(new CreateBucketCommand({ Bucket: 'my-bucket' }));
  const result = await runBatch({
    model: 'anthropic.claude-3-haiku-20240307-v1:0',
    records: [
      { recordId: 'greeting', modelInput: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] } },
      { recordId: 'broken', modelInput: { max_tokens: 50 } },
    ],
    bucket: 'my-bucket',
    roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
    clients: emulator.clients,
    minRecordsPerJob: 1,
    pollIntervalMs: 10,
  });
  const [greeting, broken] = result.records;
  if (result.jobs[0].status !== 'Completed' || !greeting.output || broken.error?.errorCode !== 400) throw new Error('unexpected result');
  console.log(result.totals); // { totalRecordCount: 2, successRecordCount: 1, errorRecordCount: 1, … }

  await emulator.reset(); // between tests: no jobs, buckets, scripts; the start configuration; same endpoints
  // emulator.env: AWS_ENDPOINT_URL_* + region + dummy credentials, for code under test in a child process.
  // emulator.clock.advance(ms): with timing 'manual', moves jobs through their states when the test says so.
} finally {
  await emulator.stop();
}
