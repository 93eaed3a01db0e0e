// The emulator's configuration: one typed object with defaults, read from a config file, environment variables
// and flags (same names everywhere), changeable while running through POST /_emulator/config.
import { readFileSync } from 'node:fs';
import { AwsError } from './errors.js';

export type Timing = 'instant' | 'fast' | 'realistic' | 'manual';
export type JobState = 'Submitted' | 'Validating' | 'Scheduled' | 'InProgress' | 'Stopping';

export interface Quotas {
  minRecordsPerJob: number;
  maxRecordsPerFile: number;
  maxRecordsPerJob: number;
  maxInputFileBytes: number;
  maxJobBytes: number;
  maxConcurrentJobsPerModel: number;
}

export interface RuntimeQuota {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export interface Config {
  host: string;
  port: number;
  s3Port: number;
  /** External S3-compatible endpoint for the job engine; when set, no embedded S3 is started. */
  s3Endpoint?: string;
  /** Serve POST Object (HTML form uploads) on the embedded S3; off so that no web page can upload through it. */
  s3AllowPostForms: boolean;
  dataDir: string;
  account: string;
  defaultRegion: string;
  timing: Timing;
  /** Milliseconds each non-terminal state lasts; overrides the timing preset per state. */
  stateDurations: Partial<Record<JobState, number>>;
  /** Records processed per clock second while InProgress (0 = all at once). */
  recordsPerSecond: number;
  quotas: Quotas;
  runtime: {
    maxBodyBytes: number;
    /** Per model id, or '*' for every model. */
    quotas: Record<string, RuntimeQuota>;
  };
  /**
   * Access keys and the account each acts in (`account` defaults to the one above). Outside strict mode only the
   * account is used; in strict mode only these keys (or a long-term Bedrock API key listed as `apiKey`) get in.
   */
  credentials: { accessKeyId: string; secretAccessKey: string; account?: string; apiKey?: string }[];
  /** Verify every Bedrock request's SigV4 signature (or Bedrock API key) against `credentials`. */
  strict: boolean;
  /** A JSON file of scripted responses loaded at start (see POST /_emulator/scripts for the format). */
  scriptsFile?: string;
  /** The user's own catalogue, read at start: files of `aws bedrock list-foundation-models` / `list-inference-profiles` output (comma-separated in a flag). */
  catalog?: string | string[];
}

export const DEFAULT_CONFIG: Config = {
  host: '127.0.0.1',
  port: 4580,
  s3Port: 4581,
  s3AllowPostForms: false,
  dataDir: '.bedrock-emulator',
  account: '123456789012',
  defaultRegion: 'us-east-1',
  timing: 'fast',
  stateDurations: {},
  recordsPerSecond: 0,
  quotas: {
    minRecordsPerJob: 100,
    maxRecordsPerFile: 50_000,
    maxRecordsPerJob: 50_000,
    maxInputFileBytes: 512 * 1024 * 1024,
    maxJobBytes: 5 * 1024 * 1024 * 1024,
    maxConcurrentJobsPerModel: 10,
  },
  runtime: { maxBodyBytes: 25_000_000, quotas: {} },
  credentials: [],
  strict: false,
};

/** Preset state durations (ms) per timing mode. `manual` states last an hour: only advancing the clock moves them. */
export const TIMING_PRESETS: Record<Timing, Record<JobState, number>> = {
  instant: { Submitted: 0, Validating: 0, Scheduled: 0, InProgress: 0, Stopping: 0 },
  fast: { Submitted: 1_000, Validating: 2_000, Scheduled: 2_000, InProgress: 5_000, Stopping: 1_000 },
  realistic: { Submitted: 60_000, Validating: 180_000, Scheduled: 300_000, InProgress: 900_000, Stopping: 60_000 },
  manual: { Submitted: 3_600_000, Validating: 3_600_000, Scheduled: 3_600_000, InProgress: 3_600_000, Stopping: 3_600_000 },
};

type Patch = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };

/** Flag/env names: `--s3-port` ⇔ `BEDROCK_EMULATOR_S3_PORT` ⇔ `s3Port`. */
const SCALARS: Record<string, keyof Config> = {
  host: 'host',
  port: 'port',
  's3-port': 's3Port',
  's3-endpoint': 's3Endpoint',
  's3-allow-post-forms': 's3AllowPostForms',
  'data-dir': 'dataDir',
  account: 'account',
  'default-region': 'defaultRegion',
  timing: 'timing',
  'records-per-second': 'recordsPerSecond',
  scripts: 'scriptsFile',
  catalog: 'catalog',
  strict: 'strict',
};

const NUMERIC = new Set<keyof Config>(['port', 's3Port', 'recordsPerSecond']);
const BOOLEAN = new Set<keyof Config>(['strict', 's3AllowPostForms']);

function scalar(key: keyof Config, raw: string): unknown {
  if (NUMERIC.has(key)) return Number(raw);
  // A bare `--strict` arrives as ''.
  if (BOOLEAN.has(key)) {
    if (['', 'true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
    throw new Error(`Option ${key} takes true or false, not '${raw}'`);
  }
  return raw;
}

/** Reads `--config FILE`, then env variables, then flags; later wins. Quotas: `--quota-min-records-per-job 1`. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Config {
  const patches: Patch[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const value = inline ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : '');
    flags.set(name, value);
  }
  const file = flags.get('config') ?? env.BEDROCK_EMULATOR_CONFIG;
  if (file) patches.push(JSON.parse(readFileSync(file, 'utf8')));
  for (const source of [envFlags(env), flags]) {
    const patch: Record<string, unknown> = {};
    const quotas: Record<string, number> = {};
    for (const [name, value] of source) {
      if (name === 'config') continue;
      if (name.startsWith('quota-')) quotas[camel(name.slice(6))] = Number(value);
      else if (SCALARS[name]) patch[SCALARS[name]] = scalar(SCALARS[name], value);
      else throw new Error(`Unknown option --${name}`);
    }
    if (Object.keys(quotas).length) patch.quotas = quotas;
    patches.push(patch as Patch);
  }
  return patches.reduce<Config>((config, patch) => applyPatch(config, patch), structuredClone(DEFAULT_CONFIG));
}

function envFlags(env: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('BEDROCK_EMULATOR_') || key === 'BEDROCK_EMULATOR_CONFIG' || value === undefined) continue;
    out.set(key.slice('BEDROCK_EMULATOR_'.length).toLowerCase().replaceAll('_', '-'), value);
  }
  return out;
}

const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Merges a patch into a config, validating names and types; throws a ValidationException on bad input. */
export function applyPatch(config: Config, patch: unknown): Config {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw bad('the configuration must be a JSON object');
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in DEFAULT_CONFIG) && key !== 's3Endpoint' && key !== 'scriptsFile' && key !== 'catalog') throw bad(`unknown option '${key}'`);
    const current = (DEFAULT_CONFIG as unknown as Record<string, unknown>)[key];
    if (current && typeof current === 'object' && !Array.isArray(current)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`'${key}' must be an object`);
      next[key] = { ...(next[key] as object), ...value };
    } else {
      if (current !== undefined && !Array.isArray(current) && typeof value !== typeof current) throw bad(`'${key}' must be a ${typeof current}`);
      next[key] = value;
    }
  }
  const result = next as unknown as Config;
  if (!(result.timing in TIMING_PRESETS)) throw bad(`'timing' must be one of ${Object.keys(TIMING_PRESETS).join(', ')}`);
  for (const [name, value] of Object.entries(result.quotas)) {
    if (!(name in DEFAULT_CONFIG.quotas)) throw bad(`unknown quota '${name}'`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(`quota '${name}' must be a non-negative number`);
  }
  for (const [state, ms] of Object.entries(result.stateDurations)) {
    if (!(state in TIMING_PRESETS.fast)) throw bad(`unknown state '${state}' in stateDurations`);
    if (typeof ms !== 'number' || ms < 0) throw bad(`stateDurations.${state} must be a non-negative number`);
  }
  if (!Array.isArray(result.credentials)) throw bad(`'credentials' must be an array`);
  for (const c of result.credentials as unknown[]) {
    const entry = c as Record<string, unknown> | null;
    const text = (k: string) => typeof entry?.[k] === 'string' && (entry[k] as string).length > 0;
    if (!text('accessKeyId') || !text('secretAccessKey')) throw bad('each credentials entry needs an accessKeyId and a secretAccessKey');
    if ((entry!.account !== undefined && !/^\d{12}$/.test(String(entry!.account))) || (entry!.apiKey !== undefined && !text('apiKey'))) {
      throw bad(`credentials entry '${entry!.accessKeyId}': account must be 12 digits and apiKey a non-empty string`);
    }
  }
  if (result.strict && result.credentials.length === 0) throw bad(`strict mode needs at least one entry in 'credentials'`);
  return result;
}

const bad = (message: string) => new AwsError('ValidationException', `Invalid configuration: ${message}`);

/** The running configuration. Jobs copy what they need at creation, so changes apply to later jobs. */
export class ConfigStore {
  constructor(private current: Config) {}
  get(): Config {
    return this.current;
  }
  update(patch: unknown): Config {
    this.current = applyPatch(this.current, patch);
    return this.current;
  }
  durationOf(state: JobState): number {
    return this.current.stateDurations[state] ?? TIMING_PRESETS[this.current.timing][state];
  }
}
