// Turns a decoded JSON value into an operation input per the service model, collecting AWS's constraint
// messages (`Value 'x' at 'a.b' failed to satisfy constraint: …`). Wrong JSON types are a SerializationException,
// constraint failures one ValidationException listing them all, as AWS's front end reports them.
import { AwsError } from '../errors.js';
import { perShape, type ServiceModel, type Shape, type ShapeRef } from './service-model.js';

export interface Issues {
  constraints: string[];
  types: string[];
}

const patternCache = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re !== undefined) return re;
  // The models' patterns are Java regexes matched against the whole value; a few only compile without `u`.
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      re = null;
    }
  }
  patternCache.set(pattern, re ?? null);
  return re ?? null;
}

const show = (value: unknown): string =>
  value === null || value === undefined
    ? 'null'
    : `'${typeof value === 'string' ? value : Array.isArray(value) ? `[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]` : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;

function constraint(issues: Issues, value: unknown, path: string, rule: string) {
  issues.constraints.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${rule}`);
}

function checkBounds(issues: Issues, shape: Shape, value: unknown, size: number, path: string, what: 'length' | 'value') {
  if (shape.min !== undefined && size < shape.min) constraint(issues, value, path, `Member must have ${what} greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && size > shape.max) constraint(issues, value, path, `Member must have ${what} less than or equal to ${shape.max}`);
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** One shape's `coerce`, built from the model once (see coercerFor). */
export type Coercer = (value: unknown, path: string, issues: Issues) => unknown;

/** Converts `value` (JSON) to the shape's runtime form; records problems in `issues`. */
export function coerce(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, issues: Issues): unknown {
  return coercerFor(model, ref)(value, path, issues);
}

const passThrough: Coercer = (value) => (value === null ? undefined : value);

/** Each shape's coercer is built once per model, on first use: requests only run the checks their shapes need. */
const shapeCoercer = perShape(build);
export const coercerFor = (model: ServiceModel, ref: ShapeRef): Coercer => (ref.jsonvalue ? passThrough : shapeCoercer(model, ref.shape));

function build(model: ServiceModel, shape: Shape): Coercer {
  if (shape.document) return passThrough;
  const wrongType = (expected: string, value: unknown, path: string, issues: Issues) => {
    issues.types.push(`Expected ${expected} at '${path}' but found ${typeName(value)}`);
    return undefined;
  };
  switch (shape.type) {
    case 'structure': {
      const members = new BodyMembers(model, shape);
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value !== 'object' || Array.isArray(value)) return wrongType('an object', value, path, issues);
        const out: Record<string, unknown> = {};
        const set = members.coerceInto(value as Record<string, unknown>, out, path, issues);
        checkRequired(shape, out, path, issues);
        if (shape.union && set !== 1) issues.types.push(`Union at '${path}' must have exactly one member set, found ${set}`);
        return out;
      };
    }
    case 'list': {
      const item = coercerFor(model, shape.member!);
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (!Array.isArray(value)) return wrongType('an array', value, path, issues);
        checkBounds(issues, shape, value, value.length, path, 'length');
        // Every list in both service models is dense (none is @sparse): a null item is refused as a null member.
        return value.map((v, i) => {
          const at = `${path}.${i + 1}.member`;
          if (v === null || v === undefined) return void constraint(issues, null, at, 'Member must not be null');
          return item(v, at, issues);
        });
      };
    }
    case 'map': {
      const key = coercerFor(model, shape.key!);
      const val = coercerFor(model, shape.value!);
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value !== 'object' || Array.isArray(value)) return wrongType('an object', value, path, issues);
        const entries = Object.entries(value as Record<string, unknown>);
        checkBounds(issues, shape, value, entries.length, path, 'length');
        return Object.fromEntries(
          entries.map(([k, v]) => {
            key(k, `${path}.key`, issues);
            if (v === null || v === undefined) constraint(issues, null, `${path}.${k}`, 'Member must not be null'); // dense, as lists
            return [k, val(v, `${path}.${k}`, issues)];
          }),
        );
      };
    }
    case 'string': {
      const check = stringCheck(shape);
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value !== 'string') return wrongType('a string', value, path, issues);
        check(value, path, issues);
        return value;
      };
    }
    case 'integer':
    case 'long':
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer', value, path, issues);
        checkBounds(issues, shape, value, value, path, 'value');
        return value;
      };
    case 'float':
    case 'double':
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (typeof value !== 'number') return wrongType('a number', value, path, issues);
        checkBounds(issues, shape, value, value, path, 'value');
        return value;
      };
    case 'boolean':
      return (value, path, issues) => (value === null || value === undefined ? undefined : typeof value === 'boolean' ? value : wrongType('a boolean', value, path, issues));
    case 'timestamp':
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
        if (!date || Number.isNaN(date.getTime())) return wrongType('a timestamp', value, path, issues);
        return date;
      };
    case 'blob':
      return (value, path, issues) => {
        if (value === null || value === undefined) return undefined;
        if (value instanceof Uint8Array) {
          checkBounds(issues, shape, '<bytes>', value.byteLength, path, 'length');
          return value;
        }
        if (typeof value !== 'string') return wrongType('a base64 string', value, path, issues);
        const bytes = Buffer.from(value, 'base64');
        checkBounds(issues, shape, '<bytes>', bytes.byteLength, path, 'length');
        return bytes;
      };
  }
  return passThrough;
}

// Members past this index are looked up by name (no structure in today's models has that many).
const MASK_BITS = 31;

/** A structure's members read from a JSON body (those bound to the URI, query or headers left out), coerced. */
export class BodyMembers {
  private readonly members: { name: string; coerce: Coercer }[];
  private readonly index = new Map<string, number>();

  constructor(model: ServiceModel, shape: Shape) {
    this.members = Object.entries(shape.members ?? {})
      .filter(([, member]) => !member.location)
      .map(([name, member]) => ({ name, coerce: coercerFor(model, member) }));
    this.members.forEach(({ name }, i) => this.index.set(name, i));
  }

  /**
   * Coerces each member `obj` has into `out`, in the model's order, at `path.member` (`member` at the top); answers
   * how many `out` got (a null member gets none: every coercer answers undefined for null). A value sets few of
   * its structure's members (a ContentBlock union has 14), so its own keys are walked and the members among them
   * marked in a bit mask, rather than every member looked up by name.
   */
  coerceInto(obj: Record<string, unknown>, out: Record<string, unknown>, path: string, issues: Issues): number {
    let mask = 0;
    let past = false;
    for (const key in obj) {
      const i = this.index.get(key);
      if (i === undefined) continue;
      if (i < MASK_BITS) mask |= 1 << i;
      else past = true;
    }
    let set = 0;
    for (; mask !== 0; mask &= mask - 1) set += this.coerceOne(31 - Math.clz32(mask & -mask), obj, out, path, issues);
    if (past) for (let i = MASK_BITS; i < this.members.length; i++) set += this.coerceOne(i, obj, out, path, issues);
    return set;
  }

  private coerceOne(i: number, obj: Record<string, unknown>, out: Record<string, unknown>, path: string, issues: Issues): number {
    const { name, coerce } = this.members[i];
    const v = coerce(obj[name], path ? `${path}.${name}` : name, issues);
    if (v === undefined) return 0;
    out[name] = v;
    return 1;
  }
}

const stringChecks = new WeakMap<Shape, (value: string, path: string, issues: Issues) => void>();

/** A string shape's length, enum and pattern checks, with the enum as a set and the pattern compiled once. */
function stringCheck(shape: Shape) {
  let check = stringChecks.get(shape);
  if (!check) {
    const allowed = shape.enum && new Set(shape.enum);
    const re = shape.pattern ? compilePattern(shape.pattern) : null;
    check = (value, path, issues) => {
      checkBounds(issues, shape, value, value.length, path, 'length');
      if (allowed && !allowed.has(value)) constraint(issues, value, path, `Member must satisfy enum value set: [${shape.enum!.join(', ')}]`);
      if (re && !re.test(value)) constraint(issues, value, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
    };
    stringChecks.set(shape, check);
  }
  return check;
}

export function checkString(shape: Shape, value: string, path: string, issues: Issues) {
  stringCheck(shape)(value, path, issues);
}

/** Body checks skip members bound to the URI, query or headers; the request parser checks those with `located`. */
export function checkRequired(shape: Shape, out: Record<string, unknown>, path: string, issues: Issues, located = false) {
  for (const name of shape.required ?? []) {
    if (!located && shape.members?.[name]?.location) continue;
    if (out[name] === undefined) constraint(issues, null, path ? `${path}.${name}` : name, 'Member must not be null');
  }
}

/** Throws the AWS error for collected issues, if any. */
export function throwIssues(issues: Issues) {
  if (issues.types.length) throw new AwsError('SerializationException', issues.types[0]);
  const n = issues.constraints.length;
  if (n) throw new AwsError('ValidationException', `${n} validation error${n > 1 ? 's' : ''} detected: ${issues.constraints.join('; ')}`);
}
