// kill -9 while an object is being replaced (CompleteMultipartUpload, PutObject, CopyObject), at a random point,
// then a restart on the same data dir: the object is the old one or the new one, bytes and ETag together, never a
// mix or a part. Each run draws its operation and kill point from S3_CRASH_SEED and its number; the seed is in
// every test name, so `S3_CRASH_SEED=<seed> npx vitest run test/s3/crash.test.ts` replays a failure. `npm test`
// makes S3_CRASH_RUNS=2 runs; the reliability suite more (see vitest.reliability.config.ts).
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../support/prng.js';
import { s3Client } from './helpers.js';

const RUNS = Number(process.env.S3_CRASH_RUNS ?? 2);
const SEED = Number(process.env.S3_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MB = 1024 * 1024;
const PART = 5 * MB;

const children = new Set<ChildProcess>();
const dataDir = mkdtempSync(join(tmpdir(), 'bbe-s3-crash-'));
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

async function spawnS3(): Promise<{ child: ChildProcess; s3: S3Client }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/s3/s3-child.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const s = /S3_ENDPOINT=(\S+)/.exec(out);
      if (s) resolve(s[1]);
    });
    child.on('exit', (code) => reject(new Error(`S3 exited with ${code}: ${out}`)));
  });
  return { child, s3: s3Client(endpoint) };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Operation = 'CompleteMultipartUpload' | 'PutObject' | 'CopyObject';
const OPERATIONS: Operation[] = ['CompleteMultipartUpload', 'PutObject', 'CopyObject'];

function plan(run: number) {
  const random = prng(SEED * 1009 + run);
  const operation = OPERATIONS[Math.floor(random() * OPERATIONS.length)];
  const killAfterMs = Math.floor(random() * 250);
  const fill = Math.floor(random() * 256);
  return { run, operation, killAfterMs, fill, label: `${operation}, kill -9 ${killAfterMs} ms after sending it` };
}

/** Sets up the replacement of `victim` by `next` and returns the request that does it (sent, not awaited). */
async function prepare(s3: S3Client, operation: Operation, next: Buffer): Promise<() => Promise<unknown>> {
  const Bucket = 'crash';
  if (operation === 'PutObject') return () => s3.send(new PutObjectCommand({ Bucket, Key: 'victim', Body: next }));
  if (operation === 'CopyObject') {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source', Body: next }));
    return () => s3.send(new CopyObjectCommand({ Bucket, Key: 'victim', CopySource: 'crash/source' }));
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'victim' }));
  const Parts: { PartNumber: number; ETag?: string }[] = [];
  for (let i = 0; i * PART < next.length; i++) {
    const out = await s3.send(new UploadPartCommand({ Bucket, Key: 'victim', UploadId, PartNumber: i + 1, Body: next.subarray(i * PART, (i + 1) * PART) }));
    Parts.push({ PartNumber: i + 1, ETag: out.ETag });
  }
  return () => s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'victim', UploadId, MultipartUpload: { Parts } }));
}

describe(`kill -9 while an object is replaced (S3_CRASH_SEED=${SEED})`, () => {
  for (let run = 0; run < RUNS; run++) {
    const p = plan(run);
    it(`run ${run}: ${p.label}`, async () => {
      let { child, s3 } = await spawnS3();
      await s3.send(new CreateBucketCommand({ Bucket: 'crash' }));
      const old = Buffer.alloc(MB, p.fill);
      const next = Buffer.alloc(3 * PART, (p.fill + 1) % 256);
      await s3.send(new PutObjectCommand({ Bucket: 'crash', Key: 'victim', Body: old }));
      const replace = await prepare(s3, p.operation, next);
      const sent = replace().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, p.killAfterMs)); // the kill point, not a wait for a state
      await kill(child);
      await sent;

      ({ child, s3 } = await spawnS3());
      const got = await s3.send(new GetObjectCommand({ Bucket: 'crash', Key: 'victim' }));
      const body = Buffer.from(await got.Body!.transformToByteArray());
      const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'crash', Prefix: 'victim' }))).Contents ?? [];
      const state = md5(body) === md5(old) ? 'old' : md5(body) === md5(next) ? 'new' : `neither (${body.length} bytes)`;
      expect(['old', 'new']).toContain(state);
      // The ETag, the size and the listing describe the bytes served.
      expect(got.ETag).toBe(`"${md5(body)}"`);
      expect(listed.map((o) => [o.Key, o.ETag, o.Size])).toEqual([['victim', got.ETag, body.length]]);
      await kill(child);
    });
  }
});
