// restJson1 for the emulator's side of the wire: request → operation input (labels, query, headers, body,
// payload) and operation output → response (status, header members, JSON or blob payload), per the model.
import { AwsError } from '../errors.js';
import { parseJson } from '../json.js';
import { perShape, type CompiledOperation, type Shape, type ShapeRef, type ServiceModel } from './service-model.js';
import type { HeaderReader } from '../wire.js';
import { BodyMembers, checkRequired, checkString, coerce, coercerFor, throwIssues, type Coercer, type Issues } from './validate.js';

export interface RawRequest {
  labels: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Read by lower-case name (a fetch Headers object will do). */
  headers: HeaderReader;
  body: Uint8Array;
}

// Stateless between calls (no `stream` option), so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPES = /^application\/(?:[\w.+-]*json[\w.+-]*)(?:;|$)/i;

/** What parsing one operation's input needs, worked out from the model once per operation. */
interface InputPlan {
  shape: Shape;
  /** Members bound to the URI, query string or headers (header names lower-cased). */
  located: { name: string; key: string; ref: ShapeRef; location: 'uri' | 'querystring' | 'header'; list: boolean }[];
  payload?: { name: string; blob: boolean; coerce: Coercer };
  /** Members read from a JSON body: the input has a payload member or these. */
  body?: BodyMembers;
}

/** A plan per operation, worked out from the model on its first request. */
function perOperation<P>(build: (compiled: CompiledOperation) => P): (compiled: CompiledOperation) => P {
  const plans = new WeakMap<CompiledOperation, P>();
  return (compiled) => {
    if (!plans.has(compiled)) plans.set(compiled, build(compiled));
    return plans.get(compiled) as P;
  };
}

const inputPlan = perOperation((compiled): InputPlan | null => {
  const { model, op } = compiled;
  if (!op.input) return null;
  const shape = model.shapes[op.input.shape];
  const members = Object.entries(shape.members ?? {});
  const payloadRef = shape.payload ? shape.members![shape.payload] : undefined;
  return {
    shape,
    located: members
      .filter(([, ref]) => ref.location === 'uri' || ref.location === 'querystring' || ref.location === 'header')
      .map(([name, ref]) => ({ name, key: ref.location === 'header' ? (ref.locationName ?? name).toLowerCase() : (ref.locationName ?? name), ref, location: ref.location as 'uri' | 'querystring' | 'header', list: model.shapes[ref.shape].type === 'list' })),
    payload: payloadRef && { name: shape.payload!, blob: model.shapes[payloadRef.shape].type === 'blob', coerce: coercerFor(model, payloadRef) },
    body: payloadRef ? undefined : new BodyMembers(model, shape),
  };
});

export function parseInput(compiled: CompiledOperation, req: RawRequest): Record<string, unknown> {
  const plan = inputPlan(compiled);
  if (!plan) return {};
  const { model } = compiled;
  const issues: Issues = { constraints: [], types: [] };
  const input: Record<string, unknown> = {};

  for (const { name, key, ref, location, list } of plan.located) {
    let raw: string | string[] | undefined;
    if (location === 'uri') raw = req.labels[key];
    else if (location === 'querystring') {
      const all = req.query.getAll(key);
      raw = list ? (all.length ? all : undefined) : all[0];
    } else raw = req.headers.get(key) ?? undefined;
    if (raw === undefined) continue;
    const value = fromString(model, ref, raw, name, issues);
    if (value !== undefined) input[name] = value;
  }

  if (plan.payload) {
    const { name, blob, coerce } = plan.payload;
    if (blob) {
      if (req.body.byteLength) input[name] = coerce(req.body, name, issues);
    } else {
      const value = coerce(readJson(req), name, issues);
      if (value !== undefined) input[name] = value;
    }
  } else if (plan.body) {
    const body = readJson(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'The request body must be a JSON object.');
    }
    plan.body.coerceInto(body as Record<string, unknown>, input, '', issues);
  }
  checkRequired(plan.shape, input, '', issues, true);
  throwIssues(issues);
  return input;
}

function readJson(req: RawRequest): unknown {
  if (!req.body.byteLength) return {};
  const type = req.headers.get('content-type');
  if (type && !JSON_TYPES.test(type) && !type.startsWith('application/octet-stream')) {
    throw new AwsError('UnsupportedMediaTypeException', `Unsupported Content-Type '${type}': this operation takes application/json.`);
  }
  try {
    return parseJson(UTF8.decode(req.body));
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

/** What serializing one operation's output needs, worked out from the model once per operation. */
interface OutputPlan {
  status: number;
  headers: { name: string; header: string }[];
  payload?: { name: string; blob: boolean; write: Writer };
  body: Member[];
}

const outputPlan = perOperation((compiled): OutputPlan | null => {
  const { model, op } = compiled;
  if (!op.output) return null;
  const shape = model.shapes[op.output.shape];
  const members = Object.entries(shape.members ?? {});
  const payloadRef = shape.payload ? shape.members![shape.payload] : undefined;
  return {
    status: op.http.responseCode ?? 200,
    headers: members.filter(([, ref]) => ref.location === 'header').map(([name, ref]) => ({ name, header: (ref.locationName ?? name).toLowerCase() })),
    payload: payloadRef && { name: shape.payload!, blob: model.shapes[payloadRef.shape].type === 'blob', write: writerFor(model, payloadRef) },
    body: payloadRef ? [] : members.filter(([, ref]) => !ref.location).map(([name, ref]) => member(name, writerFor(model, ref))),
  };
});

export function serializeOutput(compiled: CompiledOperation, result: object): SerializedOutput {
  // Read by member name: the plan lists the model's members, whatever type the handler gave its result.
  const output = result as Record<string, unknown>;
  const plan = outputPlan(compiled);
  if (!plan) return { status: compiled.op.http.responseCode ?? 200, headers: { 'content-type': 'application/json' }, body: '{}' };
  const { status } = plan;
  const headers: Record<string, string> = {};
  for (const { name, header } of plan.headers) if (output[name] !== undefined) headers[header] = String(output[name]);
  if (plan.payload) {
    const { name, blob, write } = plan.payload;
    const value = output[name];
    if (blob) return { status, headers, body: value instanceof Uint8Array ? value : new Uint8Array() };
    return { status, headers: { 'content-type': 'application/json', ...headers }, body: write(value) ?? '{}' };
  }
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: writeMembers(plan.body, output) };
}

/**
 * Output value → JSON text per shape: only modelled members, timestamps in the shape's format, blobs as base64.
 * Writers build the text directly (what JSON.stringify would make of the filtered value, without building that
 * value first); undefined means "absent" (the value was undefined or null, or JSON has no text for it).
 */
type Writer = (value: unknown) => string | undefined;
type Member = { name: string; key: string; write: Writer };

// JSON.stringify of a leaf, with its common cases first: a string with nothing to escape (JSON.stringify escapes
// only '"', '\\', controls and lone surrogates) is itself in quotes, a finite number's text is String(n) (-0 → "0"
// both ways), a boolean's is itself; anything else (documents, objects with toJSON) goes to JSON.stringify.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const asIs: Writer = (value) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return ESCAPED.test(value) ? JSON.stringify(value) : '"' + value + '"';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
};

/** `{"name":…}` for the members present in value (null and undefined members are absent), in model order. */
function writeMembers(members: Member[], value: unknown): string {
  let out = '';
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    const v = (value as Record<string, unknown>)[m.name];
    if (v === undefined || v === null) continue;
    const text = m.write(v);
    if (text === undefined) continue;
    out += out ? ',' + m.key + text : m.key + text;
  }
  return '{' + out + '}';
}

/** Each shape's writer is built once per model, on first use. */
const shapeWriter = perShape(buildWriter);
const writerFor = (model: ServiceModel, ref: ShapeRef): Writer => (ref.jsonvalue ? asIs : shapeWriter(model, ref.shape));

const member = (name: string, write: Writer): Member => ({ name, key: JSON.stringify(name) + ':', write });

function buildWriter(model: ServiceModel, shape: Shape): Writer {
  if (shape.document) return asIs;
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {}).map(([name, ref]) => member(name, writerFor(model, ref)));
      return (value) => (value === undefined || value === null ? undefined : writeMembers(members, value));
    }
    case 'list': {
      const write = writerFor(model, shape.member!);
      // An element with no JSON text is null in an array, as JSON.stringify writes it.
      return (value) => (value === undefined || value === null ? undefined : '[' + (value as unknown[]).map((v) => write(v) ?? 'null').join(',') + ']');
    }
    case 'map': {
      const write = writerFor(model, shape.value!);
      return (value) => {
        if (value === undefined || value === null) return undefined;
        let out = '';
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          const text = write(v);
          if (text !== undefined) out += (out ? ',' : '') + JSON.stringify(k) + ':' + text;
        }
        return '{' + out + '}';
      };
    }
    case 'timestamp':
      return (value) => {
        if (value === undefined || value === null) return undefined;
        const date = value instanceof Date ? value : new Date(value as string);
        return asIs(shape.timestampFormat === 'iso8601' ? date.toISOString() : date.getTime() / 1000);
      };
    case 'blob':
      return (value) => (value === undefined || value === null ? undefined : JSON.stringify(Buffer.from(value as Uint8Array).toString('base64')));
    default:
      return asIs;
  }
}
