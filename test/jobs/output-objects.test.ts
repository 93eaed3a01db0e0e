// The objects a job writes, seen through the S3 API: with the embedded S3 the engine writes them straight into its
// store, and they must read back as if they had been PUT (same bytes, an MD5 ETag, the length), appear only whole,
// and leave nothing behind when a shutdown abandons them; with `s3Endpoint` configured, the engine writes to that
// S3 over its API.
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, type BedrockClient } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';
import { jobProgress } from '../support/emulator-process.js';
import { claude, putJsonl, ROLE } from './helpers.js';

const handles: EmulatorHandle[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const h of handles) await h.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startEmulator>[0] = {}) {
  const handle = await startEmulator({ quotas: { minRecordsPerJob: 1 }, ...options });
  handles.push(handle);
  return handle;
}

const records = (n: number) => Array.from({ length: n }, (_, i) => ({ recordId: `r${i}`, modelInput: claude(`review ${i}: fine`, 30) }));

async function submit(bedrock: BedrockClient, input: string, output: string, jobName = 'objects') {
  const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand({
    jobName, roleArn: ROLE, modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    inputDataConfig: { s3InputDataConfig: { s3Uri: input } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: output } },
  }));
  return { jobArn: jobArn!, id: jobArn!.split('/').pop()! };
}

async function bytesOf(s3: S3Client, bucket: string, key: string) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { got, bytes: Buffer.from(await got.Body!.transformToByteArray()) };
}

const md5ETag = (bytes: Buffer) => `"${createHash('md5').update(bytes).digest('hex')}"`;

describe('output objects with the embedded S3', () => {
  it('read back over the S3 API as a PutObject of the same bytes does: ETag the MD5, Content-Length, listing', async () => {
    const emu = await start();
    const { s3, bedrock } = emu.clients;
    await putJsonl(s3, 'objects-in', 'in.jsonl', records(40));
    await putJsonl(s3, 'objects-out', 'keep', []);
    const { jobArn, id } = await submit(bedrock, 's3://objects-in/in.jsonl', 's3://objects-out/out/');
    await emu.settle();
    expect((await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status).toBe('Completed');

    for (const key of [`out/${id}/in.jsonl.out`, `out/${id}/manifest.json.out`]) {
      const { got, bytes } = await bytesOf(s3, 'objects-out', key);
      expect([got.ETag, got.ContentLength], key).toEqual([md5ETag(bytes), bytes.length]);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects-out', Key: key }));
      expect([head.ETag, head.ContentLength], key).toEqual([md5ETag(bytes), bytes.length]);
      const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'objects-out', Prefix: key }))).Contents ?? [];
      expect(listed.map((o) => [o.Key, o.ETag, o.Size]), key).toEqual([[key, md5ETag(bytes), bytes.length]]);
      // The same bytes PUT through the SDK with the same Content-Type: an identical object.
      await s3.send(new PutObjectCommand({ Bucket: 'objects-out', Key: `copy/${key}`, Body: bytes, ContentType: head.ContentType }));
      const copy = await s3.send(new HeadObjectCommand({ Bucket: 'objects-out', Key: `copy/${key}` }));
      expect([copy.ETag, copy.ContentLength, copy.ContentType], key).toEqual([head.ETag, head.ContentLength, head.ContentType]);
      // A ranged read of the stored bytes.
      const part = await s3.send(new GetObjectCommand({ Bucket: 'objects-out', Key: key, Range: 'bytes=5-14' }));
      expect(Buffer.from(await part.Body!.transformToByteArray())).toEqual(bytes.subarray(5, 15));
    }
    const { bytes } = await bytesOf(s3, 'objects-out', `out/${id}/in.jsonl.out`);
    expect(bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l).recordId)).toEqual(records(40).map((r) => r.recordId));
  });

  it('a file abandoned by a shutdown leaves no object; after a restart it is written whole', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-objects-'));
    dirs.push(dataDir);
    // One record a second on the emulator's clock: the run waits mid-file until the test advances the clock.
    let emu = await start({ dataDir, recordsPerSecond: 1 });
    await putJsonl(emu.clients.s3, 'paced-in', 'in.jsonl', records(4));
    await putJsonl(emu.clients.s3, 'paced-out', 'keep', []);
    const { jobArn, id } = await submit(emu.clients.bedrock, 's3://paced-in/in.jsonl', 's3://paced-out/out/');
    const advance = async (ms: number) => {
      const res = await fetch(`${emu.endpoints.bedrock}/_emulator/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
      expect(res.status).toBe(200);
    };
    const listOutput = async () => ((await emu.clients.s3.send(new ListObjectsV2Command({ Bucket: 'paced-out', Prefix: 'out/' }))).Contents ?? []).map((o) => o.Key);
    // Running (its records paced from now on), then two records written and two to go.
    const running = await fetch(`${emu.endpoints.bedrock}/_emulator/jobs/${id}/wait?status=InProgress`);
    expect((await running.json()).job.status).toBe('InProgress');
    for (let n = 1; n <= 2; n++) {
      await advance(1000);
      expect(await jobProgress(emu.endpoints.bedrock, id, n)).toBe(true);
    }
    expect(await listOutput()).toEqual([]);
    await emu.stop();

    emu = await start({ dataDir, recordsPerSecond: 1 });
    expect(await listOutput()).toEqual([]);
    // The resumed run paces its records from when it starts again, which this advance may precede (its first record
    // then comes a second later): once a first record is through, the next advance lets the rest through.
    await advance(10_000);
    expect(await jobProgress(emu.endpoints.bedrock, id, 1, 30_000)).toBe(true);
    await advance(10_000);
    await emu.settle();
    expect((await emu.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status).toBe('Completed');
    expect((await listOutput()).sort()).toEqual([`out/${id}/in.jsonl.out`, `out/${id}/manifest.json.out`]);
    const { bytes } = await bytesOf(emu.clients.s3, 'paced-out', `out/${id}/in.jsonl.out`);
    expect(bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l).recordId)).toEqual(['r0', 'r1', 'r2', 'r3']);
  });
});

describe('with s3Endpoint configured', () => {
  it("reads the input from and writes the output to that S3, over its API (there is no embedded one)", async () => {
    // Another emulator's S3 stands for the external one: its own data dir, reached only through its endpoint.
    const external = await start();
    const emu = await start({ s3Endpoint: external.endpoints.s3 });
    expect(emu.endpoints.s3).toBe(external.endpoints.s3);
    await putJsonl(external.clients.s3, 'ext-in', 'in.jsonl', records(5));
    await putJsonl(external.clients.s3, 'ext-out', 'keep', []);
    const { jobArn, id } = await submit(emu.clients.bedrock, 's3://ext-in/in.jsonl', 's3://ext-out/out/');
    await emu.settle();
    expect((await emu.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status).toBe('Completed');
    const { got, bytes } = await bytesOf(external.clients.s3, 'ext-out', `out/${id}/in.jsonl.out`);
    expect(bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l).recordId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect([got.ETag, got.ContentLength]).toEqual([md5ETag(bytes), bytes.length]);
    expect(JSON.parse((await bytesOf(external.clients.s3, 'ext-out', `out/${id}/manifest.json.out`)).bytes.toString('utf8'))).toMatchObject({ totalRecordCount: 5, successRecordCount: 5 });
  });

  // An S3 that refuses to list the input: AccessDenied (S3's 403) is the service role lacking permission, which
  // Bedrock reports as the bucket it can't access; any other failure (here S3's 400 InvalidRequest) is no such
  // thing, and the job fails naming it.
  it('fails a job whose input listing S3 refuses: AccessDenied as a bucket it cannot access, anything else as itself', async () => {
    const refusals: Record<string, [number, string, string]> = { denied: [403, 'AccessDenied', 'Access Denied'], broken: [400, 'InvalidRequest', 'The listing is broken'] };
    const fake = createServer((req, res) => {
      const bucket = (req.url ?? '/').split(/[/?]/)[1];
      const refusal = refusals[bucket];
      if (req.method === 'HEAD' || !refusal) return void res.writeHead(200, { 'content-length': 0 }).end();
      const [status, code, message] = refusal;
      res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const emu = await start({ s3Endpoint: `http://127.0.0.1:${(fake.address() as AddressInfo).port}` });
      const ended = async (input: string) => {
        const { jobArn } = await submit(emu.clients.bedrock, input, 's3://fine-out/out/', input.split('/')[2]);
        await emu.settle();
        return emu.clients.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      };
      const denied = await ended('s3://denied/in/');
      expect([denied.status, denied.message]).toEqual(['Failed', "Amazon Bedrock can't access the S3 bucket denied: it does not exist or the service role has no permission to read it."]);
      const broken = await ended('s3://broken/in/');
      expect(broken.status).toBe('Failed');
      expect(broken.message).toContain('The listing is broken');
    } finally {
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});
