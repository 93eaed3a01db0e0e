import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runBatch } from 'bedrock-batch-emulator/client';
import { expect, it } from 'vitest';

it('runs a batch on the emulator with clients built as in production', async () => {
  const models = await new BedrockClient({}).send(new ListFoundationModelsCommand({ byOutputModality: 'EMBEDDING' }));
  expect(models.modelSummaries?.map((m) => m.modelId)).toContain('amazon.titan-embed-text-v2:0');

  await new S3Client({}).send(new CreateBucketCommand({ Bucket: 'ci-bucket' }));
  const result = await runBatch({
    model: 'amazon.titan-embed-text-v2:0',
    records: [{ recordId: 'doc-1', modelInput: { inputText: 'hello' } }],
    bucket: 'ci-bucket',
    roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
    minRecordsPerJob: 1,
    pollIntervalMs: 10,
  });
  expect(result.records[0]).toMatchObject({ recordId: 'doc-1', output: { embedding: expect.any(Array) } });
});
