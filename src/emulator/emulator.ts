// The composition root: one object holding the running configuration, clock, database and services. Routes and
// handlers reach everything through it (ctx.emu), so a test can build as many isolated emulators as it likes.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SCRIPT } from './admin.js';
import { Clock } from './clock.js';
import { ConfigStore, type Config } from './config.js';
import { openDb, type Db } from './db.js';
import { createJobs, type JobsService } from './jobs/index.js';
import { s3ApiObjects, type S3Objects } from './s3/objects.js';
import { RuntimeQuotas } from './runtime/quotas.js';
import { FAMILIES, PromptCache, ScriptBook } from '../fake-models/index.js';
import { loadCatalog, type Catalog } from '../registry/index.js';
import { ProfileStore } from './stores/profiles.js';
import { TagStore } from './stores/tags.js';
import { validate } from './schema.js';
import { BodyBudget } from './wire.js';

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
  /** Models, regions and system profiles: the built-in data plus the user's `catalog` files, read at start. */
  catalog: Catalog;
  /** Model ids a request named that the catalogue lacks, each logged once. */
  unknownModelIds: Set<string>;
  runtimeQuotas: RuntimeQuotas;
  /** Converse prompt caching's entries (scoped per account and region), timed by the emulator clock. */
  promptCache: PromptCache;
  /** Request body bytes held in memory across all requests, bounded by `maxBufferedBytes`. */
  bodyBudget: BodyBudget;
  jobs: JobsService;
  /** The S3 endpoint the job engine reads input from and writes output to. */
  s3Endpoint: string;
  close(): Promise<void>;
}

/** `objects` is how jobs reach that S3: over its API unless the embedded S3 offers its store in-process. */
export function createEmulator(config: Config, s3Endpoint: string, objects: S3Objects = s3ApiObjects(s3Endpoint)): Emulator {
  const catalog = userCatalog(config.catalog);
  const db = openDb(config.dataDir);
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const saved = db.prepare("SELECT value FROM meta WHERE key = 'clockOffset'").get() as { value: string } | undefined;
  // An advanced clock stays advanced across restarts, so recovered jobs keep their timeline.
  const clock = new Clock(Number(saved?.value ?? 0), (offset) =>
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('clockOffset', ?)").run(String(offset)),
  );
  const configStore = new ConfigStore(config);
  const profiles = new ProfileStore(db);
  const tags = new TagStore(db);
  const scripts = new ScriptBook();
  if (config.scriptsFile) for (const script of readScriptsFile(config.scriptsFile)) scripts.registerScript(script);
  const jobs = createJobs(db, clock, configStore, objects, scripts, catalog);
  tags.registerResourceType('application-inference-profile', (scope, arn) => !!profiles.get(scope, arn));
  tags.registerResourceType('model-invocation-job', (scope, arn) => !!jobs.store.get(scope, arn.slice(arn.lastIndexOf('/') + 1)));
  jobs.engine.recover();
  return {
    config: configStore,
    clock,
    db,
    profiles,
    tags,
    scripts,
    catalog,
    unknownModelIds: new Set(),
    runtimeQuotas: new RuntimeQuotas(),
    promptCache: new PromptCache(() => clock.now()),
    bodyBudget: new BodyBudget(() => configStore.get().maxBufferedBytes),
    jobs,
    s3Endpoint,
    async close() {
      await jobs.engine.close();
      clock.clear();
      db.close();
    },
  };
}

/** The built-in catalogue plus the user's files; one log line says what they added and which families are missing. */
function userCatalog(files: Config['catalog']): Catalog {
  const load = loadCatalog(files);
  if (!files?.length) return load.catalog;
  const missing = [...new Set(load.catalog.models.filter((m) => !Object.hasOwn(FAMILIES, m.family)).map((m) => m.family))];
  console.warn(
    `bedrock-batch-emulator: catalogue ${[files].flat().join(', ')}: ${load.models} models and ${load.profiles} system inference profiles loaded` +
      (load.skippedApplicationProfiles ? `, ${load.skippedApplicationProfiles} application profiles skipped (create them with CreateInferenceProfile)` : '') +
      (missing.length ? `; no fake model for the body families ${missing.join(', ')} (their models are listed but refused)` : ''),
  );
  return load.catalog;
}

/** The `--scripts` file: a JSON array in the format of POST /_emulator/scripts, checked by the same schema. */
function readScriptsFile(path: string) {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${e instanceof Error ? e.message : e}`);
  }
  return validate(z.array(SCRIPT), list, `Invalid scripts file ${path}`);
}
