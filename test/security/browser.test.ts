// What a web page can do to an emulator on 127.0.0.1: nothing. A page can send "simple" requests (text/plain or
// form POSTs, no CORS preflight) from its own origin, and a DNS-rebinding page reaches the port under its own
// host name. Admin routes take only JSON from no foreign Origin, both ports serve only loopback (or configured)
// Host names, and no route shows a secret.
import { ListFoundationModelsCommand, BedrockClient } from '@aws-sdk/client-bedrock';
import http from 'node:http';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRefusal } from '../../src/emulator/network.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const A = { accessKeyId: 'AKIABROWSERTEST0001', secretAccessKey: 'browser-test-secret-a', account: '111111111111' };
const B = { accessKeyId: 'AKIABROWSERTEST0002', secretAccessKey: 'browser-test-secret-b', apiKey: 'ABSKbrowser-test-api-key' };
const SECRETS = [A.secretAccessKey, B.secretAccessKey, B.apiKey];

let emulator: EmulatorHandle;
let bedrock: string;
let s3: string;
beforeAll(async () => {
  emulator = await startEmulator({ strict: true, credentials: [A, B], allowedHosts: ['emulator.test', '.dev.test'], allowedOrigins: ['http://tool.test:3000'] });
  bedrock = emulator.endpoints.bedrock;
  s3 = emulator.endpoints.s3;
});
afterAll(() => emulator?.stop());

/** A raw HTTP/1.1 request with the headers as given (fetch would not send a Host of our choosing). */
function send(endpoint: string, method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(endpoint);
  return new Promise<{ status: number; type?: string; text: string }>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['x-amzn-errortype'] as string | undefined, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const config = async () => (await fetch(`${bedrock}/_emulator/config`)).json();

describe('admin routes refuse what a web page can send', () => {
  it.each([
    ['text/plain (no preflight)', 'text/plain'],
    ['a form (no preflight)', 'application/x-www-form-urlencoded'],
    ['multipart (no preflight)', 'multipart/form-data; boundary=x'],
    ['no content type', undefined],
  ])('%s: 415, and the configuration is unchanged', async (_, type) => {
    const before = await config();
    const res = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: JSON.stringify({ strict: false, credentials: [{ accessKeyId: 'EVIL', secretAccessKey: 'evil' }] }) });
    expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([415, 'UnsupportedMediaTypeException']);
    expect(await config()).toEqual(before);
    // Every admin route, not only the config.
    const advance = await fetch(`${bedrock}/_emulator/clock/advance`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: '{"advanceMs":1}' });
    expect(advance.status).toBe(415);
  });

  it.each([['http://attacker.example'], ['null'], ['http://localhost:1'], ['https://127.0.0.1'], ['http://tool.test:3001']])('a request from Origin %s: 403', async (origin) => {
    const before = await config();
    const res = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ strict: false }) });
    expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([403, 'AccessDeniedException']);
    expect((await fetch(`${bedrock}/_emulator/config`, { headers: { origin } })).status).toBe(403);
    expect(await config()).toEqual(before);
  });

  it('takes JSON from the emulator\'s own loopback origin, a configured origin, and clients that send no Origin', async () => {
    for (const headers of [{ origin: bedrock }, { origin: 'http://tool.test:3000' }, {}] as Record<string, string>[]) {
      const res = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify({ recordsPerSecond: 0 }) });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('Host names (DNS rebinding)', () => {
  const port = (endpoint: string) => new URL(endpoint).port;

  it('refuses a foreign Host on the Bedrock port, for AWS routes and admin routes, HTTP/1.1 and HTTP/2', async () => {
    for (const path of ['/foundation-models', '/_emulator/config', '/_emulator/health', '/openai/v1/models']) {
      const res = await send(bedrock, 'GET', path, { host: `attacker.example:${port(bedrock)}` });
      expect([res.status, res.type], path).toEqual([403, 'AccessDeniedException']);
      expect(res.text).not.toContain('secret');
    }
    const session = http2.connect(bedrock);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = session.request({ ':path': '/_emulator/config', ':authority': `attacker.example:${port(bedrock)}` });
        req.on('response', (h) => resolve(Number(h[':status'])));
        req.on('error', reject);
        req.resume();
      });
      expect(status).toBe(403);
    } finally {
      session.close();
    }
  });

  it('refuses a foreign Host on the S3 port with an S3 error, and keeps the object store untouched', async () => {
    const res = await send(s3, 'PUT', '/rebinding-bucket', { host: `attacker.example:${port(s3)}` });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<Code>AccessDenied<\/Code>/);
    expect((await send(s3, 'HEAD', '/rebinding-bucket', { host: `127.0.0.1:${port(s3)}` })).status).toBe(404);
  });

  it('serves loopback names and addresses (with and without port) and configured names, on both ports', async () => {
    for (const endpoint of [bedrock, s3]) {
      const p = port(endpoint);
      for (const host of [`127.0.0.1:${p}`, '127.0.0.1', `127.1.2.3:${p}`, `localhost:${p}`, `LOCALHOST:${p}`, `bucket.localhost:${p}`, `[::1]:${p}`, `emulator.test:${p}`, `a.dev.test:${p}`, 'dev.test']) {
        const res = await send(endpoint, 'GET', endpoint === s3 ? '/' : '/_emulator/health', { host });
        expect(res.status, `${endpoint} ${host}`).toBe(200);
      }
      for (const host of [`127.0.0.1.attacker.example:${p}`, `localhost.attacker.example`, `emulator.test.attacker.example`, `xdev.test`, `[::2]:${p}`, '0.0.0.0', '10.0.0.1']) {
        const res = await send(endpoint, 'GET', endpoint === s3 ? '/' : '/_emulator/health', { host });
        expect(res.status, `${endpoint} ${host}`).toBe(403);
      }
    }
  });

  it('a name on the S3 port such as bucket.localhost is served path-style, as before (the proxy maps only *.amazonaws.com virtual hosts)', async () => {
    const host = `bucket.localhost:${port(s3)}`;
    expect((await send(s3, 'PUT', '/vh-bucket', { host })).status).toBe(200);
    expect((await send(s3, 'PUT', '/vh-bucket/k', { host }, 'body')).status).toBe(200);
    expect((await send(s3, 'GET', '/vh-bucket/k', { host })).text).toBe('body');
  });

  it('the SDK (Host with port) is served; any Host is when the port is bound to a non-loopback address on purpose', async () => {
    const client = new BedrockClient({ endpoint: bedrock, region: 'us-east-1', credentials: { ...A }, maxAttempts: 1 });
    expect((await client.send(new ListFoundationModelsCommand({}))).modelSummaries!.length).toBeGreaterThan(0);
    client.destroy();
    expect(hostRefusal('attacker.example', { bindHost: '0.0.0.0', allowedHosts: [] })).toBeUndefined();
    expect(hostRefusal('attacker.example', { bindHost: '192.168.1.20', allowedHosts: [] })).toBeUndefined();
    expect(hostRefusal('attacker.example', { bindHost: '127.0.0.1', allowedHosts: [] })).toBeTypeOf('string');
  });
});

describe('secrets', () => {
  it('GET /_emulator/config shows access key ids and redacts secret keys and API keys', async () => {
    const text = await (await fetch(`${bedrock}/_emulator/config`)).text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(JSON.parse(text).credentials).toEqual([
      { accessKeyId: 'AKIABROWSERTEST0001', secretAccessKey: '****', account: '111111111111' },
      { accessKeyId: 'AKIABROWSERTEST0002', secretAccessKey: '****', apiKey: '****' },
    ]);
  });

  it('POST answers redacted too; GET\'s answer posted back keeps the secrets working', async () => {
    const before = await config();
    const res = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(before) });
    const text = await res.text();
    expect(res.status).toBe(200);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const client = new BedrockClient({ endpoint: bedrock, region: 'us-east-1', credentials: { ...A }, maxAttempts: 1 });
    await client.send(new ListFoundationModelsCommand({}));
    client.destroy();
    expect((await fetch(`${bedrock}/foundation-models`, { headers: { authorization: `Bearer ${B.apiKey}` } })).status).toBe(200);
    // A redaction for a key id with no secret configured is refused, naming the field.
    const unknown = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credentials: [...before.credentials, { accessKeyId: 'AKIANEW', secretAccessKey: '****' }] }) });
    expect([unknown.status, (await unknown.json()).message]).toEqual([400, expect.stringContaining('credentials.2.secretAccessKey')]);
  });

  it('error messages never echo a secret given in a bad entry', async () => {
    for (const bad of [
      { credentials: [{ accessKeyId: 'AKIABAD', secretAccessKey: 'bad-entry-secret', account: 'not-an-account' }] },
      { credentials: [{ accessKeyId: 'AKIABAD', secretAccessKey: 'bad-entry-secret', apiKey: 'bad-entry-secret', extra: 'bad-entry-secret' }] },
      { strict: 'bad-entry-secret' },
    ]) {
      const res = await fetch(`${bedrock}/_emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bad) });
      const text = await res.text();
      expect(res.status).toBe(400);
      expect(text).not.toContain('bad-entry-secret');
    }
  });
});
