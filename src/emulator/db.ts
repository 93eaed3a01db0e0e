// Job state, tokens, tags and profiles live in one SQLite file under the data dir. Each store creates its own
// tables (CREATE TABLE IF NOT EXISTS) when constructed; rows carry account and region so that state is kept per
// account and region (the stores' methods take a Scope).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

export interface Scope {
  account: string;
  region: string;
}

/** `code: message` of a failed write to the data dir (disk full, file size limit, I/O error); undefined for any other error. */
export function storageProblem(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^(SQLITE_(FULL|IOERR)|ENOSPC|EFBIG|EDQUOT)/.test(code)) return `${code}: ${(e as Error).message}`;
  return undefined;
}

export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'state.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
