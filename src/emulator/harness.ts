// The test harness: a whole emulator on random ports and a temp data dir, with ready SDK clients, for a test
// file's beforeAll or a vitest/jest globalSetup.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DeleteBucketCommand, DeleteObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch, DEFAULT_CONFIG, type Config } from './config.js';
import { startServer, type RunningEmulator } from './server.js';

export interface EmulatorHandle {
  endpoints: { bedrock: string; bedrockRuntime: string; s3: string };
  /** AWS_ENDPOINT_URL_* plus region and dummy credentials: spread into process.env or a child's env. */
  env: Record<string, string>;
  clients: { bedrock: BedrockClient; bedrockRuntime: BedrockRuntimeClient; s3: S3Client };
  clock: { now(): Date; advance(ms: number): Promise<void> };
  /** Resolves once no job is validating or processing (timers due later still wait for the clock). */
  settle(): Promise<void>;
  /** Empties every job, profile, tag, script, fault and S3 bucket; endpoints stay the same. */
  reset(): Promise<void>;
  stop(): Promise<void>;
  server: RunningEmulator;
}

export type StartOptions = Partial<Omit<Config, 'quotas' | 'runtime'>> & { quotas?: Partial<Config['quotas']>; runtime?: Partial<Config['runtime']>; region?: string };

/** Defaults: random ports, a temp data dir removed on stop, `timing: 'instant'`, region us-east-1. */
export async function startEmulator(options: StartOptions = {}): Promise<EmulatorHandle> {
  const { region = options.defaultRegion ?? 'us-east-1', ...patch } = options;
  const dataDir = patch.dataDir ?? mkdtempSync(join(tmpdir(), 'bedrock-emulator-'));
  const config = applyPatch({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir, timing: 'instant' }, patch);
  const server = await startServer(config);
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const clients = {
    bedrock: new BedrockClient({ endpoint: server.endpoint, region, credentials }),
    bedrockRuntime: new BedrockRuntimeClient({ endpoint: server.endpoint, region, credentials }),
    s3: new S3Client({ endpoint: server.s3Endpoint, region, credentials, forcePathStyle: true }),
  };
  const { emu } = server;
  const settle = () => emu.jobs.engine.idle();
  return {
    server,
    endpoints: { bedrock: server.endpoint, bedrockRuntime: server.endpoint, s3: server.s3Endpoint },
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
      now: () => emu.clock.date(),
      async advance(ms) {
        emu.clock.advance(ms);
        await settle();
      },
    },
    settle,
    async reset() {
      await emu.jobs.engine.reset();
      const tables = emu.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta'").all() as { name: string }[];
      for (const { name } of tables) emu.db.exec(`DELETE FROM "${name}"`);
      emu.scripts.clearScripts();
      emu.scripts.clearFaults();
      emu.jobs.failureRate = 0;
      for (const bucket of (await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
        let token: string | undefined;
        do {
          const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket.Name, ContinuationToken: token }));
          for (const o of page.Contents ?? []) await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket.Name, Key: o.Key }));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket.Name }));
      }
    },
    async stop() {
      for (const c of Object.values(clients)) c.destroy();
      await server.stop();
      if (!patch.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
