// The ports keep answering whatever a client does with its connection: a partial HTTP/2 preface, no bytes at all,
// headers that never finish, an idle HTTP/2 session, more connections than the cap, request bodies held open.
// Timeouts are set small and each test waits for the socket's close event, never for a wall-clock delay.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** A raw TCP connection to an http://host:port endpoint, open once connected. */
function connect(endpoint: string): Promise<net.Socket> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent once it closes the connection. */
const closed = (socket: net.Socket) =>
  new Promise<string>((resolve) => {
    let got = '';
    socket.on('data', (d) => (got += d));
    socket.on('error', () => {});
    socket.once('close', () => resolve(got));
  });

describe('a client that sends part of the HTTP/2 preface and waits (standalone process)', () => {
  // In a child process: with the old sniffing loop the whole event loop spun, so an in-process server would have
  // hung this test runner too. Strict mode, so its printed start-up text can be checked for the secret.
  it('does not stop the ports answering, is closed after the header timeout, and SIGTERM still stops the process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbe-sniff-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ strict: true, credentials: [{ accessKeyId: 'AKIASNIFFTEST000001', secretAccessKey: 'never-printed-secret' }] }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts', '--config', config, '--port', '0', '--s3-port', '0', '--data-dir', join(dir, 'data'), '--headers-timeout-ms', '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      const endpoint = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(out);
          if (m && out.includes('AWS_DEFAULT_REGION')) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
      });
      for (const head of ['P', 'PRI * HTTP']) {
        const socket = await connect(endpoint);
        const gone = closed(socket);
        socket.write(head);
        // The guard signal only bounds a failure (the port would never answer); the test waits on events.
        const health = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(20_000) });
        expect(health.status, head).toBe(200);
        expect(await gone, head).toBe('');
      }
      expect(out).toContain('AKIASNIFFTEST000001');
      expect(out).not.toContain('never-printed-secret');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('connection timeouts (set to 300 ms)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 });
  });
  afterAll(() => emulator?.stop());

  it('closes a connection that never sends a byte, on the Bedrock port and the S3 port', async () => {
    const sockets = await Promise.all([connect(emulator.endpoints.bedrock), connect(emulator.endpoints.s3)]);
    expect(await Promise.all(sockets.map(closed))).toEqual(['', '']);
  });

  it('closes a connection whose request headers never finish, on both ports', async () => {
    for (const endpoint of [emulator.endpoints.bedrock, emulator.endpoints.s3]) {
      const socket = await connect(endpoint);
      const gone = closed(socket);
      socket.write(`GET /_emulator/health HTTP/1.1\r\nHost: ${new URL(endpoint).host}\r\n`);
      // Node answers 408 when the header deadline passes, then closes.
      expect(await gone, endpoint).toMatch(/^(HTTP\/1\.1 408|$)/);
    }
  });

  it('closes an idle kept-alive HTTP/1.1 connection and an idle HTTP/2 session', async () => {
    const socket = await connect(emulator.endpoints.bedrock);
    const gone = closed(socket);
    socket.write(`GET /_emulator/health HTTP/1.1\r\nHost: ${new URL(emulator.endpoints.bedrock).host}\r\n\r\n`);
    expect(await gone).toMatch(/^HTTP\/1\.1 200/);

    const session = http2.connect(emulator.endpoints.bedrock);
    const sessionClosed = new Promise<void>((resolve) => session.once('close', resolve));
    session.on('error', () => {});
    const status = await new Promise<number>((resolve, reject) => {
      const req = session.request({ ':path': '/_emulator/health' });
      req.on('response', (h) => resolve(Number(h[':status'])));
      req.on('error', reject);
      req.resume();
    });
    expect(status).toBe(200);
    await sessionClosed; // the server's GOAWAY after 300 ms without a stream
  });
});

describe('connection cap', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ maxConnections: 3 });
  });
  afterAll(() => emulator?.stop());

  it('closes connections beyond maxConnections at once, on both ports, and keeps serving the ones it holds', async () => {
    for (const endpoint of [emulator.endpoints.bedrock, emulator.endpoints.s3]) {
      const held = await Promise.all([connect(endpoint), connect(endpoint), connect(endpoint)]);
      const extra = await connect(endpoint);
      expect(await closed(extra), endpoint).toBe('');
      const answer = new Promise<string>((resolve) => held[0].once('data', (d) => resolve(String(d))));
      held[0].write(`GET /${endpoint === emulator.endpoints.s3 ? '' : '_emulator/health'} HTTP/1.1\r\nHost: ${new URL(endpoint).host}\r\n\r\n`);
      expect(await answer, endpoint).toMatch(/^HTTP\/1\.1 200/);
      await Promise.all(held.map((s) => (s.destroy(), closed(s))));
    }
  });
});

describe('request bodies held in memory (maxBufferedBytes: 100,000)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ maxBufferedBytes: 100_000 });
  });
  afterAll(() => emulator?.stop());

  const buffered = async () => (await (await fetch(`${emulator.endpoints.bedrock}/_emulator/health`)).json()).bufferedBodyBytes as number;
  const invoke = (body: string) =>
    fetch(`${emulator.endpoints.bedrock}/model/${encodeURIComponent(HAIKU)}/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const haiku = (bytes: number) => {
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: '' }] };
    body.messages[0].content = 'x'.repeat(bytes - JSON.stringify(body).length);
    return JSON.stringify(body);
  };

  it('answers 503 ServiceUnavailableException while other requests hold the budget, and serves again once they end', async () => {
    const url = new URL(emulator.endpoints.bedrock);
    // A body of 80,000 declared bytes, of which only the first are sent: held open.
    const slow = http.request({ host: url.hostname, port: url.port, method: 'POST', path: `/model/${encodeURIComponent(HAIKU)}/invoke`, headers: { 'content-type': 'application/json', 'content-length': '80000' } });
    slow.on('error', () => {});
    slow.write('{"anthropic_version":');
    // Wait until the server holds it (an event each round: the health answer).
    while ((await buffered()) < 80_000);
    const refused = await invoke(haiku(60_000));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-amzn-errortype')).toBe('ServiceUnavailableException');
    expect((await refused.json()).message).toMatch(/maxBufferedBytes/);
    // Bodies that fit still go through meanwhile.
    expect((await invoke(haiku(10_000))).status).toBe(200);
    slow.destroy();
    while ((await buffered()) > 0);
    expect((await invoke(haiku(60_000))).status).toBe(200);
  });
});
