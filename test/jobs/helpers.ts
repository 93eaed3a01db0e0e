import { BedrockClient, GetModelInvocationJobCommand, type GetModelInvocationJobCommandOutput } from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { applyPatch, DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';

export const TERMINAL = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'];
export const ROLE = 'arn:aws:iam::123456789012:role/BedrockBatchRole';

export async function startEmulatorForTest(patch: object = {}, dataDir = mkdtempSync(join(tmpdir(), 'bbe-jobs-'))) {
  const server = await startServer(applyPatch({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir }, { timing: 'instant', ...patch }));
  return { server, dataDir, ...clientsFor(server), cleanup: async () => { await server.stop(); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** One emulator for the calling file's tests: started before the first, stopped (its data dir removed) after the last. */
export function emulatorPerFile(patch: object = {}): { readonly server: RunningEmulator } {
  let env: Awaited<ReturnType<typeof startEmulatorForTest>> | undefined;
  beforeAll(async () => {
    env = await startEmulatorForTest(patch);
  });
  afterAll(() => env?.cleanup());
  return {
    get server() {
      return env!.server;
    },
  };
}

export function clientsFor(server: RunningEmulator, region = 'us-east-1') {
  const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
  return {
    bedrock: new BedrockClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 }),
    s3: new S3Client({ endpoint: server.s3Endpoint, region, credentials, forcePathStyle: true }),
  };
}

export async function putJsonl(s3: S3Client, bucket: string, key: string, lines: unknown[]) {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n' }));
}

export async function readText(s3: S3Client, bucket: string, key: string) {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

/**
 * Waits on the emulator's job events (GET /_emulator/jobs/{id}/wait) until the job is in one of `statuses` or has
 * processed `processed` records, then answers GetModelInvocationJob (which may already show a later state).
 */
export async function waitFor(bedrock: BedrockClient, jobArn: string, statuses = TERMINAL, processed?: number): Promise<GetModelInvocationJobCommandOutput> {
  const { protocol, hostname, port } = await bedrock.config.endpoint!();
  const region = await bedrock.config.region();
  const [, , , , account, resource] = jobArn.split(':');
  const query = new URLSearchParams({ status: statuses.join(','), region, account, timeoutMs: '30000' });
  if (processed !== undefined) query.set('processed', String(processed));
  const res = await fetch(`${protocol}//${hostname}:${port}/_emulator/jobs/${resource.split('/')[1]}/wait?${query}`);
  // Unknown here (another region or account): Get answers AWS's error.
  if (!res.ok) return bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
  const answer = (await res.json()) as { reached: boolean; job: { status: string } };
  if (!answer.reached) throw new Error(`job ${jobArn} never reached ${statuses.join('/')}${processed === undefined ? '' : ` or ${processed} records`}: ${answer.job.status}`);
  return bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
}

export const claude = (text: string, max = 50) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: max, messages: [{ role: 'user', content: text }] });
