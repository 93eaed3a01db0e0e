import { CreateBucketCommand, GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';
import { rawRequest } from './helpers.js';

let s3: S3Server;
let client: S3Client;
const dir = mkdtempSync(join(tmpdir(), 'bbe-s3-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const raw = (method: string, path: string, headers: http.OutgoingHttpHeaders, body: string | Buffer) => rawRequest(s3.endpoint, method, path, headers, body);

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

  // S3 answers a PUT with the checksum it verified (x-amz-checksum-crc32: the CRC32, big-endian, in base64), sent
  // as a header (a Buffer body) or in the aws-chunked trailer (a stream).
  it('PutObject answers the CRC32 it was sent, in a header or in the trailer', async () => {
    const crc = (b: Buffer) => { const out = Buffer.alloc(4); out.writeUInt32BE(zlib.crc32(b)); return out.toString('base64'); };
    const small = data.subarray(0, 70_000);
    const asHeader = await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'crc-header', Body: small, ChecksumAlgorithm: 'CRC32' }));
    const asTrailer = await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'crc-trailer', Body: Readable.from([small]), ContentLength: small.length, ChecksumAlgorithm: 'CRC32' }));
    expect([asHeader.ChecksumCRC32, asTrailer.ChecksumCRC32]).toEqual([crc(small), crc(small)]);
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

  it('pages ListObjectsV2 with continuation tokens, in key order (s3rver\'s DES tokens failed on OpenSSL 3)', async () => {
    const keys = ['page/b', 'page/a', 'page/c/1', 'page/c/2', 'page/d'];
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket: 'bucket', Key, Body: Key }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'page/', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect([seen, pages]).toEqual([[...keys].sort(), 3]);
    const bad = await client.send(new ListObjectsV2Command({ Bucket: 'bucket', ContinuationToken: 'AAAAAAAAAAAAAAAAAAAAAA==' })).catch((e) => e);
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
  });

  it('url-encodes names in V1 and V2 listings with encoding-type=url, and refuses other encodings', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'encoded' }));
    // s3-tests' keys, plus a NUL (no XML 1.0 text can carry it), parentheses, '~', '*' and a non-ASCII letter.
    for (const Key of ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b', 'nul\u0000(1)~*é']) {
      await client.send(new PutObjectCommand({ Bucket: 'encoded', Key, Body: 'x' }));
    }
    type Query = { Prefix?: string; Delimiter?: string; EncodingType?: 'url' };
    const listings = [
      (q: Query) => client.send(new ListObjectsV2Command({ Bucket: 'encoded', ...q })),
      (q: Query) => client.send(new ListObjectsCommand({ Bucket: 'encoded', ...q })),
    ];
    for (const list of listings) {
      const out = await list({ Delimiter: '/', EncodingType: 'url' });
      expect(out.EncodingType).toBe('url');
      expect(out.Delimiter).toBe('/');
      expect(out.Contents?.map((o) => o.Key)).toEqual(['asdf%2Bb', 'nul%00%281%29~%2A%C3%A9']);
      expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['foo%2B1/', 'foo/', 'quux%20ab/']);
      const prefixed = await list({ Prefix: 'quux a', EncodingType: 'url' });
      expect([prefixed.Prefix, prefixed.Contents?.map((o) => o.Key)]).toEqual(['quux%20a', ['quux%20ab/thud']]);
      // Without it, names come back as they are.
      const plain = await list({ Prefix: 'asdf' });
      expect([plain.EncodingType, plain.Contents?.map((o) => o.Key)]).toEqual([undefined, ['asdf+b']]);
    }
    const refused = await raw('GET', '/encoded?list-type=2&encoding-type=base64', {}, '');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<Code>InvalidArgument</Code><Message>Invalid Encoding Method specified in Request</Message>');
    expect(refused.body).toContain('<ArgumentName>encoding-type</ArgumentName><ArgumentValue>base64</ArgumentValue>');
    // HEAD on a bucket is HeadBucket, which takes no encoding-type.
    expect((await raw('HEAD', '/encoded?encoding-type=base64', {}, '')).status).toBe(200);
  });

  it('answers MalformedXML for a CompleteMultipartUpload part without an ETag', async () => {
    const body = '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>';
    const res = await raw('POST', '/bucket/k?uploadId=0123456789abcdef0123456789abcdef', {}, body);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>MalformedXML</Code>');
  });

  it('answers BadDigest for a wrong trailing checksum', async () => {
    const payload = Buffer.from('hello world');
    const body = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')]);
    const res = await raw('PUT', '/bucket/bad', { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': payload.length, 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, body);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>BadDigest</Code>');
  });

  it('CreateBucket on a bucket the caller owns: 200 in us-east-1, 409 BucketAlreadyOwnedByYou in other regions', async () => {
    // S3's API reference (BucketAlreadyOwnedByYou): "Amazon S3 returns this error in all Amazon Web Services Regions
    // except in the North Virginia Region", where it returns 200 OK for legacy compatibility.
    const again = await client.send(new CreateBucketCommand({ Bucket: 'bucket' }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    const ireland = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const refused = await ireland.send(new CreateBucketCommand({ Bucket: 'bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })).catch((e) => e);
    expect([refused.name, refused.$metadata.httpStatusCode]).toEqual(['BucketAlreadyOwnedByYou', 409]);
    // The bucket and what it holds are untouched either way.
    expect((await read('put-a Buffer')).length).toBe(data.length);
  });
});

describe('ranged GetObject', () => {
  // GetObject's Range is an HTTP range (RFC 9110 §14.1.1): `bytes=-N` is the last N bytes, all of a shorter object;
  // a suffix of 0 bytes, or any range of an empty object, is not satisfiable (S3: 416 InvalidRange).
  const text = 'line one\nline two\nlast line\n';
  beforeAll(async () => {
    await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'ranged/k y.txt', Body: text }));
    await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'ranged/empty', Body: '', ContentLength: 0 }));
  });
  const get = async (key: string, range: string) => {
    const out = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: key, Range: range }));
    return [await out.Body!.transformToString(), out.ContentRange, out.ContentLength];
  };

  it('a suffix range gives the last bytes (the key with a space, so percent-encoded on the wire)', async () => {
    expect(await get('ranged/k y.txt', 'bytes=-10')).toEqual(['last line\n', 'bytes 18-27/28', 10]);
    expect(await get('ranged/k y.txt', 'bytes=-100')).toEqual([text, 'bytes 0-27/28', 28]);
  });

  it('first and open-ended ranges as before', async () => {
    expect(await get('ranged/k y.txt', 'bytes=0-3')).toEqual(['line', 'bytes 0-3/28', 4]);
    expect(await get('ranged/k y.txt', 'bytes=18-')).toEqual(['last line\n', 'bytes 18-27/28', 10]);
  });

  it('a zero-byte suffix, or a suffix of an empty object, is 416 InvalidRange', async () => {
    for (const [key, range] of [['ranged/k y.txt', 'bytes=-0'], ['ranged/empty', 'bytes=-5']]) {
      const e = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: key, Range: range })).catch((err) => err);
      expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['InvalidRange', 416]);
    }
  });

  it('objects of a few hundred KiB give the same bytes whole and by range as small ones', async () => {
    for (const size of [100 * 1024, 300 * 1024]) {
      const data = Buffer.from(Array.from({ length: size }, (_, i) => i % 251));
      await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: `ranged/${size}`, Body: data }));
      const bytes = async (range?: string) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: `ranged/${size}`, Range: range }))).Body!.transformToByteArray());
      expect((await bytes()).equals(data)).toBe(true);
      expect((await bytes('bytes=0-9')).equals(data.subarray(0, 10))).toBe(true);
      expect((await bytes(`bytes=${size / 2}-${size / 2 + 999}`)).equals(data.subarray(size / 2, size / 2 + 1000))).toBe(true);
      expect((await bytes('bytes=-7')).equals(data.subarray(size - 7))).toBe(true);
    }
  });

  it('a suffix range on a missing key is NoSuchKey', async () => {
    const e = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'ranged/none', Range: 'bytes=-3' })).catch((err) => err);
    expect(e.name).toBe('NoSuchKey');
  });
});
