// `npm start`: runs the emulator in the foreground and prints what to export.
import { loadConfig } from './config.js';
import { startServer } from './server.js';

export async function main(argv: string[]): Promise<void> {
  const config = loadConfig(argv);
  const started = Date.now();
  const running = await startServer(config, true);
  const { endpoint, s3Endpoint } = running;
  console.log(`bedrock-batch-emulator ready in ${Date.now() - started} ms (timing: ${config.timing}, data: ${config.dataDir})
  Bedrock (control plane + runtime): ${endpoint}
  S3:                                ${s3Endpoint}
  Health:                            ${endpoint}/_emulator/health

Point your AWS SDKs at it:
export AWS_ENDPOINT_URL_BEDROCK=${endpoint}
export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${endpoint}
export AWS_ENDPOINT_URL_S3=${s3Endpoint}
export AWS_REGION=${config.defaultRegion}
export AWS_DEFAULT_REGION=${config.defaultRegion}
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
`);
  const shutdown = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/emulator/main.ts')) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`bedrock-batch-emulator: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
