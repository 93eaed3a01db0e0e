import { startEmulator } from 'bedrock-batch-emulator/harness';

export default async function globalSetup() {
  // Test files run after this and see the variables: AWS SDK clients built without an endpoint use the emulator.
  globalThis.emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
  Object.assign(process.env, globalThis.emulator.env);
}
