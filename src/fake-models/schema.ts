// Request-body schemas as data, checked the way Bedrock checks most model bodies: a JSON-schema validator whose
// first violation becomes `Malformed input request: #/path: <problem>, please reformat your input and try again.`
import { ModelRefusal } from './errors.js';

export type Schema =
  | { type: 'object'; properties: Record<string, Schema>; required?: string[]; additional?: boolean }
  | { type: 'string'; minLength?: number; maxLength?: number; enum?: string[] }
  | { type: 'integer' | 'number'; minimum?: number; maximum?: number; enum?: number[] }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
  | { type: 'any' }
  | { anyOf: Schema[] };

const JSON_TYPE: Record<string, string> = { string: 'String', number: 'Number', integer: 'Integer', boolean: 'Boolean', object: 'JSONObject', array: 'JSONArray' };
const typeOf = (v: unknown) =>
  v === null ? 'Null' : Array.isArray(v) ? 'JSONArray' : typeof v === 'object' ? 'JSONObject' : typeof v === 'number' ? (Number.isInteger(v) ? 'Integer' : 'BigDecimal') : typeof v === 'string' ? 'String' : 'Boolean';

/** Returns the first violation as `#/path: problem`, or undefined. */
export function violation(schema: Schema, value: unknown): string | undefined {
  return check(schema, value, []);
}

/** `#/a/0/b` for the keys and indexes walked: the path is only written out for a violation. */
const pointer = (path: (string | number)[]) => `#${path.map((p) => `/${p}`).join('')}`;

function check(schema: Schema, value: unknown, at: (string | number)[]): string | undefined {
  if ('anyOf' in schema) {
    for (const s of schema.anyOf) if (!check(s, value, at)) return undefined;
    return `${pointer(at)}: #: no subschema matched out of the total ${schema.anyOf.length} subschemas`;
  }
  const type = schema.type;
  if (type === 'any') return undefined;
  const actual = typeOf(value);
  const matches =
    type === 'object' ? actual === 'JSONObject' : type === 'array' ? actual === 'JSONArray' : type === 'integer' ? actual === 'Integer' : type === 'number' ? actual === 'Integer' || actual === 'BigDecimal' : type === 'string' ? actual === 'String' : actual === 'Boolean';
  if (!matches) return `${pointer(at)}: expected type: ${JSON_TYPE[type]}, found: ${actual}`;
  switch (type) {
    case 'object': {
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in obj)) return `${pointer(at)}: required key [${key}] not found`;
      for (const key of Object.keys(obj)) {
        const sub = schema.properties[key];
        if (!sub) {
          if (schema.additional === false) return `${pointer(at)}: extraneous key [${key}] is not permitted`;
          continue;
        }
        at.push(key);
        const problem = check(sub, obj[key], at);
        at.pop();
        if (problem) return problem;
      }
      return undefined;
    }
    case 'array': {
      const arr = value as unknown[];
      if (schema.minItems !== undefined && arr.length < schema.minItems) return `${pointer(at)}: expected minimum item count: ${schema.minItems}, found: ${arr.length}`;
      if (schema.maxItems !== undefined && arr.length > schema.maxItems) return `${pointer(at)}: expected maximum item count: ${schema.maxItems}, found: ${arr.length}`;
      for (let i = 0; i < arr.length; i++) {
        at.push(i);
        const problem = check(schema.items, arr[i], at);
        at.pop();
        if (problem) return problem;
      }
      return undefined;
    }
    case 'string': {
      const s = value as string;
      if (schema.enum && !schema.enum.includes(s)) return `${pointer(at)}: ${s} is not a valid enum value`;
      if (schema.minLength !== undefined && s.length < schema.minLength) return `${pointer(at)}: expected minLength: ${schema.minLength}, actual: ${s.length}`;
      if (schema.maxLength !== undefined && s.length > schema.maxLength) return `${pointer(at)}: expected maxLength: ${schema.maxLength}, actual: ${s.length}`;
      return undefined;
    }
    case 'integer':
    case 'number': {
      const n = value as number;
      if (schema.enum && !schema.enum.includes(n)) return `${pointer(at)}: ${n} is not a valid enum value`;
      if (schema.minimum !== undefined && n < schema.minimum) return `${pointer(at)}: ${n} is not greater or equal to ${schema.minimum}`;
      if (schema.maximum !== undefined && n > schema.maximum) return `${pointer(at)}: ${n} is not less or equal to ${schema.maximum}`;
      return undefined;
    }
  }
  return undefined;
}

export const malformed = (problem: string) =>
  new ModelRefusal(`Malformed input request: ${problem}, please reformat your input and try again.`);

/** Checks a body against a schema and returns it typed; refuses it (ModelRefusal, Bedrock's ValidationException) otherwise. */
export function checkBody<T>(schema: Schema, body: unknown): T {
  const problem = violation(schema, body);
  if (problem) throw malformed(problem);
  return body as T;
}

// Shorthands keep the family schemas readable.
export const str = (extra: Partial<{ minLength: number; maxLength: number; enum: string[] }> = {}): Schema => ({ type: 'string', ...extra });
export const int = (minimum?: number, maximum?: number): Schema => ({ type: 'integer', minimum, maximum });
export const num = (minimum?: number, maximum?: number): Schema => ({ type: 'number', minimum, maximum });
export const bool: Schema = { type: 'boolean' };
export const any: Schema = { type: 'any' };
export const arr = (items: Schema, minItems?: number, maxItems?: number): Schema => ({ type: 'array', items, minItems, maxItems });
export const obj = (properties: Record<string, Schema>, required: string[] = [], additional = false): Schema => ({ type: 'object', properties, required, additional });
