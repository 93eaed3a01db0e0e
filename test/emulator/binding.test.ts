// The emulator and its S3 listen on loopback unless told otherwise (`--host`): every server a started emulator
// opens is caught as it listens, and its bound address checked. The emulator opens two ports, Bedrock's and S3's,
// and no other: s3rver answers behind the S3 port in the same process, without a port of its own.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../src/emulator/config.js';
import { startEmulator } from '../../src/emulator/harness.js';

let opened: net.Server[] = [];
const listen = net.Server.prototype.listen;
beforeEach(() => {
  opened = [];
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    opened.push(this);
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
});
afterEach(() => {
  net.Server.prototype.listen = listen;
});

const addresses = () => opened.filter((s) => s.listening).map((s) => (s.address() as net.AddressInfo).address);

describe('listening addresses', () => {
  it('defaults to 127.0.0.1 (config, flags, environment)', () => {
    expect(DEFAULT_CONFIG.host).toBe('127.0.0.1');
    expect(loadConfig([], {}).host).toBe('127.0.0.1');
  });

  it('binds the Bedrock port and the S3 port to 127.0.0.1 by default, and opens no other', async () => {
    const emulator = await startEmulator({});
    try {
      // Bedrock (HTTP/1.1 + HTTP/2 on one TCP server) and S3.
      expect(addresses()).toEqual(['127.0.0.1', '127.0.0.1']);
      expect(new URL(emulator.endpoints.bedrock).hostname).toBe('127.0.0.1');
      expect(new URL(emulator.endpoints.s3).hostname).toBe('127.0.0.1');
    } finally {
      await emulator.stop();
    }
  });

  // Another loopback address, so the test opens nothing beyond this machine (Linux routes all of 127/8 to lo).
  it.runIf(process.platform === 'linux')('binds both ports to --host when told, and opens no other', async () => {
    const emulator = await startEmulator({ host: '127.0.0.2' });
    try {
      expect(addresses()).toEqual(['127.0.0.2', '127.0.0.2']);
      expect(new URL(emulator.endpoints.bedrock).hostname).toBe('127.0.0.2');
      expect((await fetch(`${emulator.endpoints.bedrock}/_emulator/health`)).status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });
});
