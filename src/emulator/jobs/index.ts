// The batch-jobs service the emulator holds: the store (the one owner of every job's state: SQLite and what a run
// holds in memory), the engine (when jobs move, and their runs), and the per-record failure rate set by the admin API.
import type { Clock } from '../clock.js';
import type { ConfigStore } from '../config.js';
import type { Db } from '../db.js';
import type { S3Objects } from '../s3/objects.js';
import type { ScriptBook } from '../../fake-models/index.js';
import type { Catalog } from '../../registry/index.js';
import { JobEngine } from './engine.js';
import { JobStore } from './store.js';

export interface JobsService {
  store: JobStore;
  engine: JobEngine;
  /** Share of records answered with an injected error in jobs created from now on (0..1). */
  failureRate: number;
}

export function createJobs(db: Db, clock: Clock, config: ConfigStore, s3: S3Objects, scripts: ScriptBook, catalog: Catalog): JobsService {
  const store = new JobStore(db, clock);
  const engine = new JobEngine(store, clock, config, s3, scripts, catalog);
  return { store, engine, failureRate: 0 };
}
