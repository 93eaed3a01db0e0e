// Bad input over every route: generated requests (malformed JSON, wrong types, huge and deep bodies, invalid UTF-8,
// traversal in ids, keys and S3 URIs, wrong methods) answer a 4xx with an AWS error type, never a 5xx, and the
// server keeps answering. `npm test` runs 1,000; the reliability suite runs BAD_INPUT_RUNS (10,000 there).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/emulator/harness.js';
import { MODELS } from '../src/emulator/protocol/service-model.js';

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 1000);
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({});
});
afterAll(() => emulator.stop());

// Every modelled path, with labels filled by generated (often hostile) segments.
const paths = Object.values(MODELS).flatMap((m) => Object.values(m.operations).map((op) => ({ method: op.http.method, uri: op.http.requestUri.split('?')[0] })));
const segment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%00', 'anthropic.claude-3-haiku-20240307-v1%3A0', 'arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-invocation-job%2Fabcdefghijkl', '%E0%A4%A', 'x'.repeat(3000)),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const body = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('{', '[]', 'null', '"x"', '{"messages": 5}', deep(5000), '{"jobName": "../../etc", "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://b/../../x"}}}'),
  fc.json({ maxDepth: 4 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.concat([Buffer.from('{"a":"'), Buffer.from(b), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])),
  fc.constant('x'.repeat(26_000_000)),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');
const contentType = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-amz-json-1.1', 'multipart/form-data');

describe('bad input', () => {
  it(`answers ${RUNS} generated requests with 4xx AWS errors and never a 5xx`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.array(segment, { minLength: 4, maxLength: 4 }), body, method, contentType, fc.boolean(), async (route, segs, b, m, type, useRouteMethod) => {
        let i = 0;
        const path = route.uri.replace(/\{[^}]+\}/g, () => segs[i++ % segs.length]);
        const verb = useRouteMethod ? route.method : m;
        const res = await fetch(emulator.endpoints.bedrock + path, {
          method: verb,
          body: verb === 'GET' ? undefined : (b as BodyInit | undefined),
          headers: type ? { 'content-type': type } : {},
        });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const text = await res.text();
        expect(res.status, `${verb} ${path.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('x-amzn-errortype')).toBeTruthy();
      }),
      { numRuns: RUNS },
    );
    expect((await fetch(emulator.endpoints.bedrock + '/_emulator/health')).status).toBe(200);
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
  });
});
