// vitest.config.ts: test: { globalSetup: ['./global-setup.ts'] }
import { startEmulator } from 'bedrock-batch-emulator/harness';

export default async function setup() {
  const emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
  // Test workers start after this and inherit the variables: any AWS SDK client they build without an
  // endpoint goes to the emulator.
  Object.assign(process.env, emulator.env);
  return () => emulator.stop();
}
