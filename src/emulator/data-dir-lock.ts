// One emulator per data dir: two on the same state would both resume its jobs and overturn each other's results.
// The lock is SQLite's own file lock on <data dir>/emulator.lock, held in exclusive locking mode for the life of
// the process. The OS drops it when its holder ends, however it ends (kill -9 included), so a stale lock is simply
// taken over, and a recycled pid can never keep it. The holder's pid, for the refusal message, is in emulator.pid.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lock = new Database(join(dataDir, 'emulator.lock'), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    const holder = readHolder(dataDir);
    throw new Error(`The data dir ${resolve(dataDir)} is in use by another emulator (${holder ? `pid ${holder}` : 'pid unknown'}). Stop that one, or start this one with another --data-dir.`);
  }
  const pidFile = join(dataDir, 'emulator.pid');
  try {
    writeFileSync(`${pidFile}.${process.pid}`, String(process.pid));
    renameSync(`${pidFile}.${process.pid}`, pidFile);
  } catch {
    // Only the refusal message uses it: a full disk must not stop the emulator from starting.
  }
  return {
    release() {
      rmSync(pidFile, { force: true });
      lock.close();
    },
  };
}

function readHolder(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'emulator.pid'), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}
