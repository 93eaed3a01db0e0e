// restJson1 for the emulator's side of the wire: request → operation input (labels, query, headers, body,
// payload) and operation output → response (status, header members, JSON or blob payload), per the model.
import { AwsError } from '../errors.js';
import type { CompiledOperation, Shape, ShapeRef, ServiceModel } from './service-model.js';
import { checkRequired, checkString, coerce, throwIssues, type Issues } from './validate.js';

export interface RawRequest {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  body: Uint8Array;
}

const JSON_TYPES = /^application\/(?:[\w.+-]*json[\w.+-]*)(?:;|$)/i;

export function parseInput(compiled: CompiledOperation, req: RawRequest): Record<string, unknown> {
  const { model, op } = compiled;
  if (!op.input) return {};
  const shape = model.shapes[op.input.shape];
  const issues: Issues = { constraints: [], types: [] };
  const input: Record<string, unknown> = {};

  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const key = ref.locationName ?? name;
    let raw: string | string[] | undefined;
    if (ref.location === 'uri') raw = req.labels[key];
    else if (ref.location === 'querystring') {
      const all = req.query.getAll(key);
      raw = model.shapes[ref.shape].type === 'list' ? (all.length ? all : undefined) : all[0];
    } else if (ref.location === 'header') raw = req.headers.get(key) ?? undefined;
    else continue;
    if (raw === undefined) continue;
    const value = fromString(model, ref, raw, name, issues);
    if (value !== undefined) input[name] = value;
  }

  if (shape.payload) {
    const ref = shape.members![shape.payload];
    const payloadShape = model.shapes[ref.shape];
    if (payloadShape.type === 'blob') {
      if (req.body.byteLength) input[shape.payload] = coerce(model, ref, req.body, shape.payload, issues);
    } else {
      const value = coerce(model, ref, readJson(req), shape.payload, issues);
      if (value !== undefined) input[shape.payload] = value;
    }
  } else {
    const body = readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      const value = coerce(model, ref, (body as Record<string, unknown>)[name], name, issues);
      if (value !== undefined) input[name] = value;
    }
  }
  checkRequired(shape, input, '', issues, true);
  throwIssues(issues);
  return input;
}

function readJson(req: RawRequest): unknown {
  if (!req.body.byteLength) return {};
  const type = req.headers.get('content-type');
  if (type && !JSON_TYPES.test(type) && !type.startsWith('application/octet-stream')) {
    throw new AwsError('UnsupportedMediaTypeException', `Unsupported Content-Type '${type}': this operation takes application/json.`);
  }
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return JSON.parse(text.decode(req.body));
  } catch (e) {
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

function fromString(model: ServiceModel, ref: ShapeRef, raw: string | string[], path: string, issues: Issues): unknown {
  const shape: Shape = model.shapes[ref.shape];
  if (Array.isArray(raw)) return raw.map((item, i) => fromString(model, shape.member!, item, `${path}.${i + 1}.member`, issues));
  switch (shape.type) {
    case 'string':
      checkString(shape, raw, path, issues);
      return raw;
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) {
        issues.types.push(`Expected a number at '${path}' but found '${raw}'`);
        return undefined;
      }
      return coerce(model, ref, n, path, issues);
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') {
        issues.types.push(`Expected a boolean at '${path}' but found '${raw}'`);
        return undefined;
      }
      return raw === 'true';
    case 'timestamp':
      return coerce(model, ref, /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw, path, issues);
    default:
      return raw;
  }
}

export interface SerializedOutput {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export function serializeOutput(compiled: CompiledOperation, output: Record<string, unknown>): SerializedOutput {
  const { model, op } = compiled;
  const status = op.http.responseCode ?? 200;
  const headers: Record<string, string> = {};
  if (!op.output) return { status, headers: { 'content-type': 'application/json' }, body: '{}' };
  const shape = model.shapes[op.output.shape];
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location === 'header' && output[name] !== undefined) headers[(ref.locationName ?? name).toLowerCase()] = String(output[name]);
  }
  if (shape.payload) {
    const ref = shape.members![shape.payload];
    const value = output[shape.payload];
    if (model.shapes[ref.shape].type === 'blob') {
      return { status, headers, body: value instanceof Uint8Array ? value : new Uint8Array() };
    }
    return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(toJson(model, ref, value) ?? {}) };
  }
  const body: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location) continue;
    const v = toJson(model, ref, output[name]);
    if (v !== undefined) body[name] = v;
  }
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Output value → JSON per shape: only modelled members, timestamps in the shape's format, blobs as base64. */
export function toJson(model: ServiceModel, ref: ShapeRef, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = model.shapes[ref.shape];
  if (shape.document || ref.jsonvalue) return value;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const v = toJson(model, member, (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => toJson(model, shape.member!, v));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(model, shape.value!, v)]));
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as string);
      return shape.timestampFormat === 'iso8601' ? date.toISOString() : date.getTime() / 1000;
    }
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}
