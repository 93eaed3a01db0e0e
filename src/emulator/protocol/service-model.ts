// The official botocore service models (copied by scripts/sync-service-models.mjs) as typed data, plus the
// operation table compiled from their `http` traits. Everything the wire layer knows comes from here.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
  jsonvalue?: boolean;
  eventpayload?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  sensitive?: boolean;
  payload?: string;
  union?: boolean;
  document?: boolean;
  eventstream?: boolean;
  exception?: boolean;
  timestampFormat?: 'iso8601' | 'unixTimestamp' | 'rfc822';
  error?: { httpStatusCode?: number };
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: { serviceId: string; endpointPrefix: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export type ServiceName = 'bedrock' | 'bedrock-runtime';

export const MODELS: Record<ServiceName, ServiceModel> = {
  bedrock: require('../service-models/bedrock.json'),
  'bedrock-runtime': require('../service-models/bedrock-runtime.json'),
};

export interface CompiledOperation {
  service: ServiceName;
  op: Operation;
  model: ServiceModel;
  /** Literal segment, or null for a `{label}` (the label name is in `labels`). */
  segments: (string | null)[];
  labels: (string | undefined)[];
}

function compile(service: ServiceName): CompiledOperation[] {
  const model = MODELS[service];
  return Object.values(model.operations).map((op) => {
    const path = op.http.requestUri.split('?')[0];
    const parts = path.split('/').slice(1);
    return {
      service,
      op,
      model,
      segments: parts.map((p) => (p.startsWith('{') ? null : p)),
      labels: parts.map((p) => (p.startsWith('{') ? p.slice(1, -1).replace(/\+$/, '') : undefined)),
    };
  });
}

const OPERATIONS = [...compile('bedrock'), ...compile('bedrock-runtime')];

/**
 * `<segment count> <first segment>` → the operations a path of that shape could be, in model order, so a lookup
 * tries a handful instead of all. An operation whose first segment is a label (none today) is in every bucket of
 * its length, and in `<count> {}`, the bucket for a first segment no operation spells.
 */
const bucket = (n: number, first: string | null) => OPERATIONS.filter((o) => o.segments.length === n && (o.segments[0] === null || o.segments[0] === first));
const CANDIDATES = new Map<string, CompiledOperation[]>();
for (const { segments } of OPERATIONS) {
  if (segments[0] !== null) CANDIDATES.set(`${segments.length} ${segments[0]}`, bucket(segments.length, segments[0]));
  CANDIDATES.set(`${segments.length} {}`, bucket(segments.length, null));
}

export interface MatchedOperation {
  readonly compiled: CompiledOperation;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Finds the operation for a method and a raw (still percent-encoded) path. Segments are decoded one by one
 * after splitting, so an ARN label carrying `%2F` stays one segment. No two operations of the two service models
 * (service-models/*.json) share a method and a path shape, so the first match is the only one. `methodMismatch` tells a
 * known path from an unknown one.
 */
export function matchOperation(method: string, rawPath: string): Matched {
  // Clients call the same few paths over and over (a model's invoke, converse): each is matched once. The result is
  // shared, so callers only read it; any path may come, so the memory is bounded.
  const key = `${method} ${rawPath}`;
  let found = MATCHED.get(key);
  if (!found) {
    if (MATCHED.size >= MAX_MATCHED) MATCHED.clear();
    MATCHED.set(key, (found = match(method, rawPath)));
  }
  return found;
}

type Matched = Readonly<{ match?: MatchedOperation; methodMismatch: boolean }>;
const MATCHED = new Map<string, Matched>();
const MAX_MATCHED = 1024;

function match(method: string, rawPath: string): Matched {
  const raw = rawPath.slice(1).split('/'); // rawPath starts with '/'
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  let methodMismatch = false;
  const candidates = CANDIDATES.get(`${raw.length} ${raw[0]}`) ?? CANDIDATES.get(`${raw.length} {}`) ?? [];
  for (const compiled of candidates) {
    const labels: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < raw.length && ok; i++) {
      const literal = compiled.segments[i];
      if (literal === null) {
        const decoded = safeDecode(raw[i]);
        if (decoded === undefined || decoded === '') ok = false;
        else labels[compiled.labels[i]!] = decoded;
      } else ok = literal === raw[i];
    }
    if (!ok) continue;
    if (compiled.op.http.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { match: { compiled, labels }, methodMismatch: false };
  }
  return { methodMismatch };
}

function safeDecode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment; // nothing to decode (and nothing to throw on)
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * A function per shape, built by `build` once per model on first use. A recursive shape reaches itself while it
 * is being built, so the cache holds a forwarder to the finished function until then.
 */
export function perShape<F extends (...args: never[]) => unknown>(build: (model: ServiceModel, shape: Shape) => F): (model: ServiceModel, shapeName: string) => F {
  const caches = new WeakMap<ServiceModel, Map<string, F>>();
  return (model, shapeName) => {
    let cache = caches.get(model);
    if (!cache) caches.set(model, (cache = new Map()));
    let fn = cache.get(shapeName);
    if (!fn) {
      let built: F | undefined;
      cache.set(shapeName, ((...args: never[]) => built!(...args)) as F);
      fn = built = build(model, model.shapes[shapeName]);
      cache.set(shapeName, fn);
    }
    return fn;
  };
}
