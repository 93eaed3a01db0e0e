// A control-plane emulator (no S3) on a random port and a temp dir for one test file, with a client per region.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/emulator/app.js';
import { DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { createEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { listen, type Listening } from '../../src/emulator/listen.js';

export interface ControlPlane {
  emu: Emulator;
  endpoint: string;
  client(region: string): BedrockClient;
}

export function controlPlane(): ControlPlane {
  const dir = mkdtempSync(join(tmpdir(), 'bbe-control-'));
  let server: Listening;
  const cp = {
    client: (region: string) =>
      new BedrockClient({ endpoint: cp.endpoint, region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 }),
  } as ControlPlane;
  beforeAll(async () => {
    cp.emu = createEmulator({ ...DEFAULT_CONFIG, dataDir: dir, port: 0 }, 'http://127.0.0.1:1');
    server = await listen(createApp(cp.emu).serve, '127.0.0.1', 0);
    cp.endpoint = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await cp.emu.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return cp;
}
