// One emulator per data dir. A second start on a dir in use is refused with a message naming the dir and the
// holder's pid (it used to resume the first one's jobs and overturn their results); the lock of a process that was
// killed is taken over; the harness's temp dirs and `npm start` (main.ts) take it too.
import { ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPatch, DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startEmulator } from '../../src/emulator/harness.js';
import { startServer } from '../../src/emulator/server.js';
import { EmulatorExited, kill, killChildren, spawnEmulator } from '../support/emulator-process.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bbe-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const start = (dataDir: string) => startServer(applyPatch({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir }, { timing: 'instant' }));
const inUse = (dir: string, pid: number) => new RegExp(`data dir ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another emulator \\(pid ${pid}\\)`);

describe('the data dir lock', () => {
  it('refuses a second emulator in this process, on a given dir and on the harness temp dir, until the first stops', async () => {
    const dir = tempDir();
    const first = await startEmulator({ dataDir: dir });
    const temp = await startEmulator();
    try {
      await expect(start(dir)).rejects.toThrow(inUse(dir, process.pid));
      await expect(start(temp.server.config.dataDir)).rejects.toThrow(inUse(temp.server.config.dataDir, process.pid));
      // The refused start left the running one alone.
      expect((await first.clients.bedrock.send(new ListModelInvocationJobsCommand({}))).invocationJobSummaries).toEqual([]);
    } finally {
      await Promise.all([first.stop(), temp.stop()]);
    }
    const again = await start(dir);
    await again.stop();
  });

  it('npm start refuses a dir another process holds (exit 1, naming the dir and its pid) and takes over the lock of a killed one', async () => {
    const dir = tempDir();
    const holder = await spawnEmulator(['--data-dir', dir]);
    const refused = await spawnEmulator(['--data-dir', dir]).catch((e) => e);
    expect(refused).toBeInstanceOf(EmulatorExited);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(inUse(dir, holder.child.pid!));
    await expect(start(dir)).rejects.toThrow(inUse(dir, holder.child.pid!));
    expect(await kill(holder)).toEqual({ code: null, signal: 'SIGKILL' });
    const successor = await start(dir);
    await successor.stop();
  });
});
