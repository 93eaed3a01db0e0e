// `npm start`: runs the emulator in the foreground and prints what to export.
import { DEFAULT_CONFIG, loadConfig, type Config } from './config.js';
import { startServer } from './server.js';

const q = DEFAULT_CONFIG.quotas;
const USAGE = `Usage: npm start -- [options]   (or: bedrock-batch serve [options])

Runs the emulator: Bedrock (control plane and runtime) on one port, an embedded S3 on another. Every option is
also an environment variable (BEDROCK_EMULATOR_ + the name in upper snake case) and a key of the config file.

  --port N                  Bedrock, HTTP/1.1 and cleartext HTTP/2 (default ${DEFAULT_CONFIG.port})
  --s3-port N               embedded S3 (default ${DEFAULT_CONFIG.s3Port})
  --s3-endpoint URL         an external S3-compatible store instead of the embedded one
  --host ADDRESS            address to bind (default ${DEFAULT_CONFIG.host})
  --data-dir DIR            SQLite state and the embedded S3's files (default ${DEFAULT_CONFIG.dataDir})
  --account ID              account id in ARNs (default ${DEFAULT_CONFIG.account})
  --default-region R        region of unsigned and bearer-token requests (default ${DEFAULT_CONFIG.defaultRegion})
  --timing T                instant | fast | realistic | manual: how long job states last (default ${DEFAULT_CONFIG.timing})
  --records-per-second N    pace of InProgress on the emulator clock (default 0: at once)
  --scripts FILE            scripted responses to load (the format of POST /_emulator/scripts)
  --strict                  verify SigV4 signatures against the config file's credentials
  --quota-NAME N            batch quotas: min-records-per-job (${q.minRecordsPerJob}), max-records-per-file (${q.maxRecordsPerFile}),
                            max-records-per-job (${q.maxRecordsPerJob}), max-input-file-bytes, max-job-bytes,
                            max-concurrent-jobs-per-model (${q.maxConcurrentJobsPerModel})
  --config FILE             a JSON file of any of these (camelCase keys; quotas, runtime quotas, credentials)
  --help                    this text

README.md, "Options", says more about each.
`;

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig(argv);
  const running = await startServer(config).catch((e) => Promise.reject(portInUse(e, config) ?? e));
  const { endpoint, s3Endpoint } = running;
  // Strict mode accepts only configured keys: name the first one, never printing its secret.
  const secretLine = config.strict
    ? `# and AWS_SECRET_ACCESS_KEY: the secretAccessKey of ${config.credentials[0].accessKeyId} from your config file (never printed)`
    : 'export AWS_SECRET_ACCESS_KEY=test';
  // From the process's start (module loading included), as `npm run bench -- startup` measures it.
  console.log(`bedrock-batch-emulator ready in ${Math.round(performance.now())} ms (timing: ${config.timing}, data: ${config.dataDir}${config.strict ? ', strict: SigV4 verified' : ''})
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

/** A port that is taken, named with the option that moves it. */
function portInUse(e: NodeJS.ErrnoException & { port?: number }, config: Config): Error | undefined {
  if (e.code !== 'EADDRINUSE') return undefined;
  const [flag, env] = e.port === config.s3Port && !config.s3Endpoint ? ['--s3-port', 'BEDROCK_EMULATOR_S3_PORT'] : ['--port', 'BEDROCK_EMULATOR_PORT'];
  return new Error(
    `port ${e.port} on ${config.host} is already in use (another emulator?). Stop what holds it, or choose another port with ${flag} N (or ${env}; 0 picks a free one), e.g. npm start -- ${flag} ${(e.port ?? 0) + 10}`,
  );
}

/** Runs `main` as a command: a start-up error is printed and exits 1. Also called by scripts/start.mjs. */
export function run(argv: string[]): void {
  main(argv).catch((e) => {
    console.error(`bedrock-batch-emulator: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/emulator/main.ts')) run(process.argv.slice(2));
