// npm run test:reliability: a flood of connections that never send a byte (10,000 of them once exhausted the
// process's file descriptors). With a cap and the header timeout, the emulator holds at most maxConnections of them,
// closes every one, and answers again once they are gone. Waits on close events only.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../src/emulator/harness.js';

const FLOOD = Number(process.env.CONNECTION_FLOOD ?? 10_000);
const WAVE = 1_000;
const CAP = 500;

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ maxConnections: CAP, headersTimeoutMs: 1_000 });
});
afterAll(() => emulator?.stop());

/** Opens `count` idle connections; resolves once the server has closed every one. */
function idle(endpoint: string, count: number): Promise<void[]> {
  const url = new URL(endpoint);
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<void>((resolve) => {
        const socket = net.connect(Number(url.port), url.hostname);
        socket.on('error', () => {});
        socket.resume(); // a paused socket would never see the server's FIN
        socket.once('close', () => resolve());
      }),
    ),
  );
}

describe(`a flood of ${FLOOD} idle connections`, () => {
  for (const port of ['bedrock', 's3'] as const) {
    it(`on the ${port} port: every one is closed, and the port answers afterwards`, async () => {
      const endpoint = emulator.endpoints[port];
      for (let sent = 0; sent < FLOOD; sent += WAVE) await idle(endpoint, Math.min(WAVE, FLOOD - sent));
      const res = await fetch(port === 'bedrock' ? `${endpoint}/_emulator/health` : `${endpoint}/`);
      expect(res.status).toBe(200);
    });
  }
});
