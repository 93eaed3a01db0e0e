// Listing cost follows the page, not the bucket: every page is made from the bucket's sorted key index with at
// most max-keys + 2 entries examined (the page, the entry past it, the common prefix holding the marker), whatever
// the bucket holds. Pages are S3's: keys in UTF-8 byte order, common
// prefixes counted towards max-keys, a page's last entry (key or common prefix) the next marker. The 20,000-key
// form with timings is ./listing.reliability.test.ts.
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyIndex } from '../../src/emulator/s3/key-index.js';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';
import { rawRequest, s3Client } from './helpers.js';

let server: S3Server;
let s3: S3Client;
const dir = mkdtempSync(join(tmpdir(), 'bbe-s3-list-'));
const KEYS = 600;
const keyOf = (i: number) => `folder-${String(i % 40).padStart(2, '0')}/object-${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  server = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dir });
  s3 = s3Client(server.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
  for (let i = 0; i < KEYS; i += 40) {
    await Promise.all(Array.from({ length: 40 }, (_, j) => s3.send(new PutObjectCommand({ Bucket: 'many', Key: keyOf(i + j), Body: 'x' }))));
  }
  await s3.send(new CreateBucketCommand({ Bucket: 's3-tests' }));
  for (const Key of ['asdf', 'boo/bar', 'boo/baz/xyzzy', 'cquux/thud', 'cquux/bla']) await s3.send(new PutObjectCommand({ Bucket: 's3-tests', Key, Body: Key }));
}, 120_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('listing a bucket a page at a time', () => {
  it(`a full ListObjectsV2 of ${KEYS} keys in pages of 100 examines at most 102 index entries per page`, async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const before = server.listingExamined();
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'many', MaxKeys: 100, ContinuationToken: token }));
      expect(server.listingExamined() - before).toBeLessThanOrEqual(102);
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(Array.from({ length: KEYS }, (_, i) => keyOf(i)).sort());
  });

  it('a page of common prefixes skips each prefix\'s keys instead of reading them', async () => {
    const before = server.listingExamined();
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'many', Delimiter: '/', MaxKeys: 10 }));
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(Array.from({ length: 10 }, (_, i) => `folder-${String(i).padStart(2, '0')}/`));
    expect([page.KeyCount, page.IsTruncated]).toEqual([10, true]);
    expect(server.listingExamined() - before).toBeLessThanOrEqual(12);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: 'many', Delimiter: '/', ContinuationToken: page.NextContinuationToken }));
    expect(rest.CommonPrefixes).toHaveLength(30);
    expect(rest.IsTruncated).toBe(false);
  });

  // s3-tests' test_bucket_list_delimiter_prefix (it passes on AWS): common prefixes count towards max-keys, and
  // NextMarker names the page's last entry, a common prefix included, which the next page starts after.
  it.each([
    ['', 1, [[['asdf'], [], 'asdf'], [[], ['boo/'], 'boo/'], [[], ['cquux/'], undefined]]],
    ['', 2, [[['asdf'], ['boo/'], 'boo/'], [[], ['cquux/'], undefined]]],
    ['boo/', 1, [[['boo/bar'], [], 'boo/bar'], [[], ['boo/baz/'], undefined]]],
    ['boo/', 2, [[['boo/bar'], ['boo/baz/'], undefined]]],
  ] as const)('ListObjects (V1) with prefix %j, delimiter / and max-keys %i pages as S3 does', async (prefix, maxKeys, pages) => {
    let marker = '';
    for (const [keys, prefixes, nextMarker] of pages) {
      const res = await rawRequest(server.endpoint, 'GET', `/s3-tests?delimiter=%2F&max-keys=${maxKeys}&prefix=${encodeURIComponent(prefix)}&marker=${encodeURIComponent(marker)}`);
      const all = (tag: string) => [...res.body.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);
      expect([all('Key'), all('Prefix').slice(1), all('NextMarker')[0], all('IsTruncated')[0]]).toEqual([keys, prefixes, nextMarker, String(nextMarker !== undefined)]);
      marker = nextMarker ?? '';
    }
  });
});

/** UTF-8 byte order, as S3 lists: the model the index is checked against. */
const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('KeyIndex pages equal a plain sorted listing', () => {
  // Characters chosen to tell UTF-16 order from UTF-8 order (U+E000, U+FFFF and a surrogate pair) plus delimiters.
  const char = fc.constantFrom('a', 'b', '/', '-', 'é', '\uE000', '\uFFFF', '😀');
  const text = (min: number, max: number) => fc.array(char, { minLength: min, maxLength: max }).map((cs) => cs.join(''));
  it('for any keys, prefix, delimiter and max-keys, paging through lists each key or common prefix once, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(text(1, 6), { maxLength: 60 }), text(0, 2), // S3 keys are never empty
         fc.constantFrom('', '/', 'b', '😀'), fc.integer({ min: 1, max: 7 }), (keys, prefix, delimiter, maxKeys) => {
        const expected: string[] = [];
        for (const key of [...keys].sort(bytes).filter((k) => k.startsWith(prefix))) {
          const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
          const entry = cut === -1 ? key : key.slice(0, cut + delimiter.length);
          if (expected[expected.length - 1] !== entry) expected.push(entry);
        }
        const index = new KeyIndex(keys);
        const listed: string[] = [];
        let startAfter: string | undefined;
        for (let pages = 0; pages <= expected.length; pages++) {
          const page = index.list({ prefix, delimiter, startAfter, maxKeys });
          expect(page.examined).toBeLessThanOrEqual(maxKeys + 2);
          listed.push(...[...page.keys, ...page.commonPrefixes].sort(bytes));
          if (!page.isTruncated) break;
          startAfter = page.last;
        }
        expect(listed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
