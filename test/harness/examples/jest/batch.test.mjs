import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runBatch } from 'bedrock-batch-emulator/client';

test('runs a batch on the emulator with clients built as in production', async () => {
  await new S3Client({}).send(new CreateBucketCommand({ Bucket: 'jest-bucket' }));
  const result = await runBatch({
    model: 'amazon.titan-embed-text-v2:0',
    records: [{ recordId: 'doc-1', modelInput: { inputText: 'hello' } }],
    bucket: 'jest-bucket',
    roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
    minRecordsPerJob: 1,
    pollIntervalMs: 10,
  });
  expect(result.records[0]).toMatchObject({ recordId: 'doc-1', output: { embedding: expect.any(Array) } });
});
