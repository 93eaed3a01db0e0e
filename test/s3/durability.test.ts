// An object write is whole or absent: a PUT or UploadPart cut short, or whose bytes do not match their checksum,
// leaves the object (or part) that was there before, bytes and ETag, and creates no new key. S3 answers such a
// request 400 IncompleteBody ("You did not provide the number of bytes specified by the Content-Length HTTP
// header") or 400 BadDigest. The kill -9 forms are in ./crash.test.ts.
import { CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';
import { rawRequest, s3Client } from './helpers.js';

let s3: S3Client;
let server: S3Server;
const dir = mkdtempSync(join(tmpdir(), 'bbe-s3-durable-'));
const MB = 1024 * 1024;
const OLD = Buffer.from('the object as it was before');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

beforeAll(async () => {
  server = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dir });
  s3 = s3Client(server.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'durable' }));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function putOld(key: string) {
  await s3.send(new PutObjectCommand({ Bucket: 'durable', Key: key, Body: OLD }));
}

/** The object as GetObject and the listing show it. */
async function current(key: string) {
  const got = await s3.send(new GetObjectCommand({ Bucket: 'durable', Key: key }));
  const body = Buffer.from(await got.Body!.transformToByteArray());
  const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'durable', Prefix: key }))).Contents?.find((o) => o.Key === key);
  return { body, etag: got.ETag, listedEtag: listed?.ETag, listedSize: listed?.Size };
}

async function expectOld(key: string) {
  const now = await current(key);
  expect(now.body.equals(OLD)).toBe(true);
  expect([now.etag, now.listedEtag, now.listedSize]).toEqual([`"${md5(OLD)}"`, `"${md5(OLD)}"`, OLD.length]);
}

async function expectAbsent(key: string) {
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'durable', Key: key })).catch((e) => e);
  expect(head.$metadata.httpStatusCode).toBe(404);
  expect((await s3.send(new ListObjectsV2Command({ Bucket: 'durable', Prefix: key }))).KeyCount).toBe(0);
}

/**
 * A PUT announcing `declared` bytes that sends `sent` of them, then ends its side of the connection (`end`) or
 * vanishes (`destroy`, after the bytes were written out); resolves with whatever came back.
 */
function cutShortPut(key: string, declared: number, sent: number, how: 'end' | 'destroy'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    socket.write(`PUT /durable/${key} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${declared}\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 'x'), () => (how === 'end' ? socket.end() : socket.destroy()));
  });
}

describe('an interrupted or corrupted upload keeps what was there', () => {
  it('a PUT that ends before its Content-Length: 400 IncompleteBody, the old object kept, a new key absent', async () => {
    await putOld('replaced');
    const answer = await cutShortPut('replaced', 10 * MB, MB, 'end');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('<Code>IncompleteBody</Code><Message>You did not provide the number of bytes specified by the Content-Length HTTP header</Message>');
    await expectOld('replaced');
    await cutShortPut('fresh', 10 * MB, MB, 'end');
    await expectAbsent('fresh');
  });

  it('a PUT whose client disappears mid-body keeps the old object and creates no key', async () => {
    await putOld('vanished');
    await cutShortPut('vanished', 10 * MB, MB, 'destroy');
    await cutShortPut('vanished-new', 10 * MB, MB, 'destroy');
    await expectOld('vanished');
    await expectAbsent('vanished-new');
  });

  it('a body not matching its Content-MD5 or x-amz-checksum header: 400 BadDigest, the old object kept', async () => {
    await putOld('digest');
    const body = 'new bytes';
    const wrongMd5 = await rawRequest(server.endpoint, 'PUT', '/durable/digest', { 'content-md5': createHash('md5').update('other').digest('base64') }, body);
    expect([wrongMd5.status, /<Code>(\w+)<\/Code>/.exec(wrongMd5.body)?.[1]]).toEqual([400, 'BadDigest']);
    const wrongCrc = await rawRequest(server.endpoint, 'PUT', '/durable/digest', { 'x-amz-checksum-crc32': 'AAAAAA==' }, body);
    expect([wrongCrc.status, /<Code>(\w+)<\/Code>/.exec(wrongCrc.body)?.[1]]).toEqual([400, 'BadDigest']);
    expect(wrongCrc.body).toContain('The CRC32 you specified did not match the calculated checksum.');
    await expectOld('digest');
    // The same body with the right checksum replaces it.
    const right = await rawRequest(server.endpoint, 'PUT', '/durable/digest', { 'content-md5': createHash('md5').update(body).digest('base64') }, body);
    expect(right.status).toBe(200);
    expect((await current('digest')).body.toString()).toBe(body);
  });

  it('a refused PUT under a new folder leaves no folder behind in the data dir', async () => {
    const wrong = await rawRequest(server.endpoint, 'PUT', '/durable/fresh-folder/inner/key', { 'content-md5': createHash('md5').update('other').digest('base64') }, 'new bytes');
    expect([wrong.status, /<Code>(\w+)<\/Code>/.exec(wrong.body)?.[1]]).toEqual([400, 'BadDigest']);
    expect(readdirSync(join(dir, 'durable')).filter((name) => name.startsWith('fresh-folder'))).toEqual([]);
    await expectAbsent('fresh-folder/inner/key');
  });

  it('an aws-chunked body shorter than its x-amz-decoded-content-length: 400 IncompleteBody, the old object kept', async () => {
    await putOld('chunked');
    const payload = Buffer.from('only eleven');
    const body = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]);
    const res = await rawRequest(server.endpoint, 'PUT', '/durable/chunked', { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': 1000, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, body);
    expect([res.status, /<Code>(\w+)<\/Code>/.exec(res.body)?.[1]]).toEqual([400, 'IncompleteBody']);
    await expectOld('chunked');
  });

  it('an aws-chunked body whose framing is broken, or that ends before its final chunk: 400 IncompleteBody, the old object kept', async () => {
    await putOld('framing');
    const headers = { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' };
    for (const body of ['zz\r\nabc\r\n0\r\n\r\n', '5\r\nabcdeXX0\r\n\r\n', '3\r\nabc\r\n']) {
      const res = await rawRequest(server.endpoint, 'PUT', '/durable/framing', headers, body);
      expect([res.status, /<Code>(\w+)<\/Code>/.exec(res.body)?.[1]], JSON.stringify(body)).toEqual([400, 'IncompleteBody']);
    }
    await expectOld('framing');
  });

  it('an UploadPart cut short keeps the part uploaded before it under that number', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'durable', Key: 'parts' }));
    const part = Buffer.alloc(5 * MB, 'p');
    const first = await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'parts', UploadId, PartNumber: 1, Body: part }));
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.write(`PUT /durable/parts?partNumber=1&uploadId=${UploadId} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${5 * MB}\r\n\r\n`);
      socket.write(Buffer.alloc(MB, 'q'), () => socket.end());
    });
    expect(answer).toContain('<Code>IncompleteBody</Code>');
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'durable', Key: 'parts', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: first.ETag }] } }));
    expect(done.$metadata.httpStatusCode).toBe(200);
    expect(md5((await current('parts')).body)).toBe(md5(part));
  });

  it('CompleteMultipartUpload refuses a part whose ETag is not the uploaded part\'s (InvalidPart), keeping the old object', async () => {
    await putOld('etag-check');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'durable', Key: 'etag-check' }));
    await s3.send(new UploadPartCommand({ Bucket: 'durable', Key: 'etag-check', UploadId, PartNumber: 1, Body: 'part' }));
    const refused = await s3
      .send(new CompleteMultipartUploadCommand({ Bucket: 'durable', Key: 'etag-check', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: `"${md5(Buffer.from('other'))}"` }] } }))
      .catch((e) => e);
    expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['InvalidPart', 400]);
    await expectOld('etag-check');
  });
});

describe('a data dir written by s3rver 3.x', () => {
  it('is read at start: each object (bytes, .md5, metadata.json) becomes one entry with the same bytes and headers', async () => {
    const legacyDir = mkdtempSync(join(tmpdir(), 'bbe-s3-legacy-'));
    const bytes = Buffer.from('written by an earlier version');
    mkdirSync(join(legacyDir, 'old-bucket', 'folder'), { recursive: true });
    writeFileSync(join(legacyDir, 'old-bucket', 'folder', 'file.txt._S3rver_object'), bytes);
    writeFileSync(join(legacyDir, 'old-bucket', 'folder', 'file.txt._S3rver_object.md5'), md5(bytes));
    writeFileSync(join(legacyDir, 'old-bucket', 'folder', 'file.txt._S3rver_metadata.json'), JSON.stringify({ 'content-type': 'text/plain', 'x-amz-meta-origin': 'v1' }));
    const legacy = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: legacyDir });
    try {
      const client = s3Client(legacy.endpoint);
      const got = await client.send(new GetObjectCommand({ Bucket: 'old-bucket', Key: 'folder/file.txt' }));
      expect([Buffer.from(await got.Body!.transformToByteArray()).toString(), got.ETag, got.ContentType, got.Metadata]).toEqual([bytes.toString(), `"${md5(bytes)}"`, 'text/plain', { origin: 'v1' }]);
      expect((await client.send(new ListObjectsV2Command({ Bucket: 'old-bucket' }))).Contents?.map((o) => o.Key)).toEqual(['folder/file.txt']);
      expect(readdirSync(join(legacyDir, 'old-bucket', 'folder'))).toEqual(['file.txt._S3rver_entry']);
    } finally {
      await legacy.close();
      rmSync(legacyDir, { recursive: true, force: true });
    }
  });
});
