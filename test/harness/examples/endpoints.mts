// Plain AWS SDK code: no endpoint, no credentials in it. Run it in a shell where the variables
// `bedrock-batch serve` prints are exported, and it talks to the emulator; without them, to AWS.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { runBatch } from 'bedrock-batch-emulator/client';

await new S3Client({}).send(new CreateBucketCommand({ Bucket: 'my-batch-bucket' }));
const result = await runBatch<{ embedding: number[] }>({
  model: 'amazon.titan-embed-text-v2:0',
  records: Array.from({ length: 100 }, (_, i) => ({ modelInput: { inputText: `document ${i}` } })),
  bucket: 'my-batch-bucket',
  prefix: 'embeddings',
  roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
  onProgress: (p) => console.error(`${p.processedRecords}/${p.totalRecords} records`),
});
console.log(result.jobs[0].status, result.totals.successRecordCount, result.records[0].output?.embedding.length);
