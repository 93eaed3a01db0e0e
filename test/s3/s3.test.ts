import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';

let s3: S3Server;
let client: S3Client;
const dir = mkdtempSync(join(tmpdir(), 'bbe-s3-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s3 = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dir });
  // The newest SDK on its default settings: checksums WHEN_SUPPORTED, aws-chunked for streams.
  client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(new CreateBucketCommand({ Bucket: 'bucket' }));
});
afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

async function read(key: string) {
  const out = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('embedded S3 stores exactly the uploaded bytes', () => {
  const data = randomBytes(5 * 1024 * 1024 + 123);

  it.each([
    ['a Buffer', () => data],
    ['a string', () => data.toString('base64')],
    ['a stream with ContentLength', () => Readable.from([data.subarray(0, 1000), data.subarray(1000)])],
  ])('PutObject with %s', async (_name, body) => {
    const b = body();
    const expected = typeof b === 'string' ? Buffer.from(b) : data;
    const put = await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: `put-${_name}`, Body: b, ContentLength: expected.length }));
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(sha(await read(`put-${_name}`))).toBe(sha(expected));
  });

  it('lib-storage multipart Upload of a stream', async () => {
    const big = randomBytes(12 * 1024 * 1024);
    await new Upload({ client, params: { Bucket: 'bucket', Key: 'multi', Body: Readable.from([big]) }, partSize: 5 * 1024 * 1024 }).done();
    expect(sha(await read('multi'))).toBe(sha(big));
  });

  it('lists by prefix', async () => {
    const out = await client.send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'put-' }));
    expect(out.Contents?.map((o) => o.Key).sort()).toEqual(['put-a Buffer', 'put-a stream with ContentLength', 'put-a string']);
  });

  it('answers BadDigest for a wrong trailing checksum', async () => {
    const payload = Buffer.from('hello world');
    const body = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')]);
    const { port } = new URL(s3.endpoint);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: '/bucket/bad', headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': payload.length, 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-length': body.length } }, (r) => {
        let text = '';
        r.on('data', (d) => (text += d));
        r.on('end', () => resolve({ status: r.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>BadDigest</Code>');
  });
});
