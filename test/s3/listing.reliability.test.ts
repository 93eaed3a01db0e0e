// The long form of ./listing.test.ts (npm run test:reliability): a bucket of 20,000 keys listed in full, alone and
// four times at once, each page examining at most max-keys + 2 index entries. It prints how long the listings took
// and how long a HeadBucket sent meanwhile waited (reported, not asserted: timings belong in benchmarks). Pages are
// read as text (no SDK parsing 1,000 entries in this process, which also runs the server).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/emulator/s3/server.js';
import { rawRequest } from './helpers.js';

const KEYS = 20_000;
let server: S3Server;
const dir = mkdtempSync(join(tmpdir(), 'bbe-s3-20k-'));
const keyOf = (i: number) => `records/part-${String(i % 100).padStart(3, '0')}/${String(i).padStart(6, '0')}.jsonl`;

beforeAll(async () => {
  server = await startS3Server({ host: '127.0.0.1', port: 0, dataDir: dir });
  await rawRequest(server.endpoint, 'PUT', '/big');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const put = (key: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: `/big/${key}`, agent, headers: { 'content-length': 2 } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PUT ${key}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end('{}');
    });
  for (let i = 0; i < KEYS; i += 200) await Promise.all(Array.from({ length: 200 }, (_, j) => put(keyOf(i + j))));
  agent.destroy();
}, 600_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function listAll(): Promise<{ keys: number; pages: number; worstPage: number }> {
  let keys = 0;
  let pages = 0;
  let worstPage = 0;
  let token: string | undefined;
  do {
    const before = server.listingExamined();
    const page = (await rawRequest(server.endpoint, 'GET', `/big?list-type=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`)).body;
    worstPage = Math.max(worstPage, server.listingExamined() - before);
    keys += Number(/<KeyCount>(\d+)<\/KeyCount>/.exec(page)?.[1]);
    pages++;
    token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(page)?.[1];
  } while (token);
  return { keys, pages, worstPage };
}

it(`lists ${KEYS} keys a page at a time, alone and four at once, while other requests are answered`, async () => {
  // The first listing after a start reads each object's size and ETag from its file; later ones from memory.
  let started = performance.now();
  const first = await listAll();
  const firstMs = performance.now() - started;
  started = performance.now();
  const alone = await listAll();
  const aloneMs = performance.now() - started;
  for (const listing of [first, alone]) {
    expect([listing.keys, listing.pages]).toEqual([KEYS, KEYS / 1000]);
    expect(listing.worstPage).toBeLessThanOrEqual(1002);
  }

  started = performance.now();
  const listings = Promise.all([listAll(), listAll(), listAll(), listAll()]);
  let slowestHead = 0;
  let heads = 0;
  let done = false;
  void listings.finally(() => (done = true));
  while (!done) {
    const t = performance.now();
    expect((await rawRequest(server.endpoint, 'HEAD', '/big')).status).toBe(200);
    slowestHead = Math.max(slowestHead, performance.now() - t);
    heads++;
  }
  const together = await listings;
  const togetherMs = performance.now() - started;
  for (const listing of together) expect(listing.keys).toBe(KEYS);
  console.log(
    `${KEYS}-key listing (pages of 1,000): first ${Math.round(firstMs)} ms, then ${Math.round(aloneMs)} ms; four at once ${Math.round(togetherMs)} ms, ` +
      `${heads} HeadBucket meanwhile, slowest ${Math.round(slowestHead)} ms; worst page examined ${alone.worstPage} index entries`,
  );
});
