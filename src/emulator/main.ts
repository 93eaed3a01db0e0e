// `npm start`: runs the emulator in the foreground and prints what to export.
import { loadConfig } from './config.js';
import { startServer } from './server.js';

export async function main(argv: string[]): Promise<void> {
  const config = loadConfig(argv);
  const started = Date.now();
  const running = await startServer(config);
  const { endpoint, s3Endpoint } = running;
  // Strict mode accepts only configured keys: name the first one, never printing its secret.
  const secretLine = config.strict
    ? `# and AWS_SECRET_ACCESS_KEY: the secretAccessKey of ${config.credentials[0].accessKeyId} from your config file (never printed)`
    : 'export AWS_SECRET_ACCESS_KEY=test';
  console.log(`bedrock-batch-emulator ready in ${Date.now() - started} ms (timing: ${config.timing}, data: ${config.dataDir}${config.strict ? ', strict: SigV4 verified' : ''})
  Bedrock (control plane + runtime): ${endpoint}
  S3:                                ${s3Endpoint}
  Health:                            ${endpoint}/_emulator/health

Point your AWS SDKs at it:
export AWS_ENDPOINT_URL_BEDROCK=${endpoint}
export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${endpoint}
export AWS_ENDPOINT_URL_S3=${s3Endpoint}
export AWS_REGION=${config.defaultRegion}
export AWS_DEFAULT_REGION=${config.defaultRegion}
export AWS_ACCESS_KEY_ID=${config.strict ? config.credentials[0].accessKeyId : 'test'}
${secretLine}
`);
  // Graceful: each job stops between two records and resumes at the next start. A second signal kills at once
  // (the handlers are `once`), which loses nothing either: the file being written is redone.
  const shutdown = async (signal: NodeJS.Signals) => {
    console.log(`bedrock-batch-emulator: ${signal}: stopping; running jobs resume at the next start (${signal} again to kill now)`);
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Runs `main` as a command: a start-up error is printed and exits 1. Also called by scripts/start.mjs. */
export function run(argv: string[]): void {
  main(argv).catch((e) => {
    console.error(`bedrock-batch-emulator: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/emulator/main.ts')) run(process.argv.slice(2));
