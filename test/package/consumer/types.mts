// Type-checked by a strict tsc with skipLibCheck off: the public types stand on their own (no SQLite, no s3rver).
import { runBatch, type BatchResult, type RunBatchOptions } from 'bedrock-batch-emulator/client';
import { startEmulator, type EmulatorHandle, type StartOptions } from 'bedrock-batch-emulator/harness';
import { bedrockHandlers, inProcessClients, setupBedrockMsw } from 'bedrock-batch-emulator/msw';

const options: StartOptions = { timing: 'manual', quotas: { minRecordsPerJob: 1 }, region: 'eu-west-1' };
const emulator: EmulatorHandle = await startEmulator(options);
const batch: RunBatchOptions = {
  model: 'amazon.titan-embed-text-v2:0',
  records: [{ modelInput: { inputText: 'x' } }],
  bucket: 'b',
  roleArn: 'arn:aws:iam::123456789012:role/R',
  clients: emulator.clients,
};
const result: BatchResult<{ embedding: number[] }> = await runBatch<{ embedding: number[] }>(batch);
const length: number | undefined = result.records[0].output?.embedding.length;
setupBedrockMsw(emulator, ...bedrockHandlers(emulator)).listen();
inProcessClients('us-east-1').bedrockRuntime.destroy();
await emulator.clock.advance(1000);
console.log(length);
