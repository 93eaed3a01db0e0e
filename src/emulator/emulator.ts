// The composition root: one object holding the running configuration, clock, database and services. Routes and
// handlers reach everything through it (ctx.emu), so a test can build as many isolated emulators as it likes.
import { Clock } from './clock.js';
import { ConfigStore, type Config } from './config.js';
import { openDb, type Db } from './db.js';
import { RuntimeQuotas } from './runtime/model.js';
import { ScriptBook } from '../fake-models/index.js';
import { ProfileStore } from './stores/profiles.js';
import { TagStore } from './stores/tags.js';

export interface Emulator {
  config: ConfigStore;
  clock: Clock;
  db: Db;
  /** Application inference profiles. */
  profiles: ProfileStore;
  /** Tags of every taggable resource; resource owners register their ARN types. */
  tags: TagStore;
  /** Scripted responses and fault injection for the fake models (runtime and batch). */
  scripts: ScriptBook;
  runtimeQuotas: RuntimeQuotas;
  /** The S3 endpoint the job engine reads input from and writes output to. */
  s3Endpoint: string;
  close(): Promise<void>;
}

export function createEmulator(config: Config, s3Endpoint: string): Emulator {
  const clock = new Clock();
  const db = openDb(config.dataDir);
  const profiles = new ProfileStore(db);
  const tags = new TagStore(db);
  tags.registerResourceType('application-inference-profile', (scope, arn) => !!profiles.get(scope, arn));
  const emu: Emulator = {
    config: new ConfigStore(config),
    clock,
    db,
    profiles,
    tags,
    scripts: new ScriptBook(),
    runtimeQuotas: new RuntimeQuotas(),
    s3Endpoint,
    async close() {
      clock.clear();
      db.close();
    },
  };
  return emu;
}
