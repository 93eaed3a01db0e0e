// The test harness: a whole emulator on random ports and a temp data dir, with ready SDK clients, for a test
// file's beforeAll or a vitest/jest globalSetup.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DeleteBucketCommand, DeleteObjectsCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch, DEFAULT_CONFIG, type Config } from './config.js';
import { RuntimeQuotas } from './runtime/quotas.js';
import { PromptCache } from '../fake-models/index.js';
import { startServer, type RunningEmulator } from './server.js';

export interface EmulatorHandle {
  endpoints: { bedrock: string; bedrockRuntime: string; s3: string };
  /** `baseURL` for the OpenAI SDK (Chat Completions, Responses, Batch), as AWS's `…amazonaws.com/openai/v1`. */
  openaiBaseURL: string;
  /** `baseURL` for the Anthropic SDK (Messages), as AWS's `…amazonaws.com/anthropic`. */
  anthropicBaseURL: string;
  /** AWS_ENDPOINT_URL_* plus region and credentials (dummy ones, or in strict mode the first configured): spread into process.env or a child's env. */
  env: Record<string, string>;
  /** Clients for the emulator in `region` (S3 path-style, as a local endpoint needs). */
  clients: { bedrock: BedrockClient; bedrockRuntime: BedrockRuntimeClient; s3: S3Client };
  clock: {
    /** The emulator's time in ms since the epoch (wall clock plus every advance). */
    now(): number;
    /** Moves the emulator's time forward; resolves once the job work that became due has run. */
    advance(ms: number): Promise<void>;
  };
  /** Resolves once no job is validating, running or stopping (timers due later still wait for the clock). */
  settle(): Promise<void>;
  /**
   * Back to a fresh emulator with the same endpoints: no jobs, profiles, tags, scripts, faults, quota windows or
   * S3 buckets, and the configuration it started with. The clock keeps its time (it never runs backwards).
   */
  reset(): Promise<void>;
  /** Stops the servers and removes the temp data dir. */
  stop(): Promise<void>;
  /** @internal The running server and its Emulator, for this package's own tests (not in the published types). */
  server: RunningEmulator;
}

export type StartOptions = Partial<Omit<Config, 'quotas' | 'runtime'>> & {
  quotas?: Partial<Config['quotas']>;
  runtime?: Partial<Config['runtime']>;
  /** Region of `clients` and `env` (default us-east-1); requests in any region are served. */
  region?: string;
};

/** Defaults: random ports, a temp data dir removed on stop, `timing: 'instant'`, region us-east-1. */
export async function startEmulator(options: StartOptions = {}): Promise<EmulatorHandle> {
  const { region = options.defaultRegion ?? 'us-east-1', ...patch } = options;
  const dataDir = patch.dataDir ?? mkdtempSync(join(tmpdir(), 'bedrock-emulator-'));
  let server: RunningEmulator;
  try {
    server = await startServer(applyPatch({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir, timing: 'instant' }, patch));
  } catch (e) {
    if (!patch.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const { emu } = server;
  const initialConfig = structuredClone(emu.config.get());
  // In strict mode the clients and env sign with the first configured credential; otherwise with dummy keys.
  const signer = initialConfig.strict ? initialConfig.credentials[0] : undefined;
  const credentials = signer ? { accessKeyId: signer.accessKeyId, secretAccessKey: signer.secretAccessKey } : { accessKeyId: 'test', secretAccessKey: 'test' };
  const clients = {
    bedrock: new BedrockClient({ endpoint: server.endpoint, region, credentials }),
    bedrockRuntime: new BedrockRuntimeClient({ endpoint: server.endpoint, region, credentials }),
    s3: new S3Client({ endpoint: server.s3Endpoint, region, credentials, forcePathStyle: true }),
  };
  const settle = () => emu.jobs.engine.idle();
  return {
    server,
    endpoints: { bedrock: server.endpoint, bedrockRuntime: server.endpoint, s3: server.s3Endpoint },
    openaiBaseURL: `${server.endpoint}/openai/v1`,
    anthropicBaseURL: `${server.endpoint}/anthropic`,
    env: {
      AWS_ENDPOINT_URL_BEDROCK: server.endpoint,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: server.endpoint,
      AWS_ENDPOINT_URL_S3: server.s3Endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    clients,
    clock: {
      now: () => emu.clock.now(),
      async advance(ms) {
        emu.clock.advance(ms);
        await settle();
      },
    },
    settle,
    async reset() {
      await emu.jobs.engine.reset();
      // Every store keeps its rows in SQLite; `meta` holds the clock, which keeps its time.
      const tables = emu.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta'").all() as { name: string }[];
      for (const { name } of tables) emu.db.exec(`DELETE FROM "${name}"`);
      emu.scripts.clearScripts();
      emu.scripts.clearFaults();
      emu.jobs.failureRate = 0;
      emu.runtimeQuotas = new RuntimeQuotas();
      emu.promptCache = new PromptCache(() => emu.clock.now());
      // In place: ConfigStore merges patches, so a key set since the start could not be removed through update().
      const config = emu.config.get() as unknown as Record<string, unknown>;
      for (const key of Object.keys(config)) delete config[key];
      Object.assign(config, structuredClone(initialConfig));
      // The embedded S3 empties its store in place (files and key indexes), without a request per object.
      if (server.embeddedS3) await server.embeddedS3.clear();
      else await emptyS3(clients.s3);
    },
    async stop() {
      for (const c of Object.values(clients)) c.destroy();
      await server.stop();
      if (!patch.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function emptyS3(s3: S3Client) {
  for (const bucket of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket.Name }));
      if (!page.Contents?.length) break;
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket.Name, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key })) } }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket.Name }));
  }
}
