// The emulator's configuration: one typed object with defaults, read from a config file, environment variables
// and flags (same names everywhere), changeable while running through POST /_emulator/config.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AwsError } from './errors.js';
import { TIMED, type TimedStatus } from './jobs/lifecycle.js';
import { DEFAULT_QUOTAS, type Quotas } from './jobs/quotas.js';
import { validate } from './schema.js';

export type Timing = 'instant' | 'fast' | 'realistic' | 'manual';

export type { Quotas } from './jobs/quotas.js';

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
  stateDurations: Partial<Record<TimedStatus, number>>;
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
  /** Host names both ports serve besides loopback ones (DNS rebinding guard); `.example.test` allows subdomains. */
  allowedHosts: string[];
  /** Origins allowed to call /_emulator/ routes from a browser, besides the emulator's own loopback origin. */
  allowedOrigins: string[];
  /** Request bodies held in memory at once, across all requests; beyond it requests get 503. */
  maxBufferedBytes: number;
  /** Connection limits of both ports (see network.ts); 0 turns a timeout off. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
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
  quotas: { ...DEFAULT_QUOTAS },
  runtime: { maxBodyBytes: 25_000_000, quotas: {} },
  credentials: [],
  strict: false,
  allowedHosts: [],
  allowedOrigins: [],
  maxBufferedBytes: 256 * 1024 * 1024,
  // Node's HTTP server defaults.
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 4_096,
};

/** Preset state durations (ms) per timing mode. `manual` states last an hour: only advancing the clock moves them. */
export const TIMING_PRESETS: Record<Timing, Record<TimedStatus, number>> = {
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
  'allowed-hosts': 'allowedHosts',
  'allowed-origins': 'allowedOrigins',
  'max-buffered-bytes': 'maxBufferedBytes',
  'headers-timeout-ms': 'headersTimeoutMs',
  'request-timeout-ms': 'requestTimeoutMs',
  'keep-alive-timeout-ms': 'keepAliveTimeoutMs',
  'max-connections': 'maxConnections',
};

const NUMERIC = new Set<keyof Config>(['port', 's3Port', 'recordsPerSecond', 'maxBufferedBytes', 'headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections']);
const BOOLEAN = new Set<keyof Config>(['strict', 's3AllowPostForms']);
/** Comma-separated on the command line and in the environment. */
const LIST = new Set<keyof Config>(['allowedHosts', 'allowedOrigins', 'catalog']);

function scalar(key: keyof Config, raw: string): unknown {
  // '' (a bare flag) is no number: Number('') would be 0.
  if (NUMERIC.has(key)) return raw.trim() === '' ? raw : Number(raw);
  if (LIST.has(key)) return raw.split(',').map((s) => s.trim()).filter(Boolean);
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
  if (file) {
    try {
      patches.push(JSON.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      throw new Error(`${file}: ${e instanceof Error ? e.message : e}`);
    }
  }
  for (const source of [envFlags(env), flags]) {
    const patch: Record<string, unknown> = {};
    const quotas: Record<string, number> = {};
    for (const [name, value] of source) {
      if (name === 'config') continue;
      if (name.startsWith('quota-')) quotas[camel(name.slice(6))] = value.trim() === '' ? (value as never) : Number(value);
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

const count = z.int().min(0);
const ms = z.int().min(0).max(2 ** 31 - 1); // setTimeout's range
const text = z.string().min(1);
export const ACCOUNT = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
export const REGION = z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, 'must be an AWS region name such as us-east-1');

const CONFIG_SCHEMA = z.strictObject({
  host: text,
  port: z.int().min(0).max(65_535),
  s3Port: z.int().min(0).max(65_535),
  s3Endpoint: z.url({ protocol: /^https?$/ }).optional(),
  s3AllowPostForms: z.boolean(),
  dataDir: text,
  account: ACCOUNT,
  defaultRegion: REGION,
  timing: z.enum(['instant', 'fast', 'realistic', 'manual']),
  stateDurations: z.strictObject(Object.fromEntries(TIMED.map((s) => [s, ms.optional()])) as Record<TimedStatus, z.ZodOptional<typeof ms>>),
  recordsPerSecond: z.number().min(0),
  quotas: z.strictObject({
    minRecordsPerJob: count,
    maxRecordsPerFile: count,
    maxRecordsPerJob: count,
    maxInputFileBytes: count,
    maxJobBytes: count,
    maxConcurrentJobsPerModel: count,
  }),
  runtime: z.strictObject({
    maxBodyBytes: count,
    quotas: z.record(text, z.strictObject({ requestsPerMinute: z.number().min(0), tokensPerMinute: z.number().min(0) })),
  }),
  credentials: z.array(z.strictObject({ accessKeyId: text, secretAccessKey: text, account: ACCOUNT.optional(), apiKey: text.optional() })),
  strict: z.boolean(),
  scriptsFile: text.optional(),
  catalog: z.union([text, z.array(text)]).optional(),
  allowedHosts: z.array(z.string().regex(/^\.?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name, .domain or [IPv6 address]')),
  allowedOrigins: z.array(z.url({ protocol: /^https?$/ }).refine((u) => new URL(u).origin === u, 'must be an origin: scheme://host[:port], no path')),
  maxBufferedBytes: count,
  headersTimeoutMs: ms,
  requestTimeoutMs: ms,
  keepAliveTimeoutMs: ms,
  maxConnections: z.int().min(1),
})
  .refine((c) => !c.strict || c.credentials.length > 0, { message: "strict mode needs at least one entry in 'credentials'", path: ['strict'] })
  // Node refuses a server whose header deadline is longer than its request deadline.
  .refine((c) => !(c.headersTimeoutMs > 0 && c.requestTimeoutMs > 0 && c.headersTimeoutMs > c.requestTimeoutMs), { message: 'must not exceed requestTimeoutMs', path: ['headersTimeoutMs'] });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges a patch into a config (nested objects such as `quotas` member by member) and checks the result against
 * the schema; throws a ValidationException naming the offending option.
 */
export function applyPatch(config: Config, patch: unknown): Config {
  if (!isObject(patch)) throw new AwsError('ValidationException', 'Invalid configuration: the configuration must be a JSON object');
  const next: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(patch)) {
    // defineProperty: a JSON `__proto__` member is an option name like any other (and unknown), not a prototype.
    Object.defineProperty(next, key, { value: isObject(value) && isObject(next[key]) ? { ...next[key], ...value } : value, enumerable: true, writable: true, configurable: true });
  }
  return validate(CONFIG_SCHEMA, next, 'Invalid configuration') as Config;
}

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
  durationOf(state: TimedStatus): number {
    return this.current.stateDurations[state] ?? TIMING_PRESETS[this.current.timing][state];
  }
}
