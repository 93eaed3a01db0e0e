// Request validation against a service model, on a small model written here in the botocore/Smithy JSON form of
// /work/shared/aws-models. Expected messages are AWS's documented front-end forms: constraint failures are one
// ValidationException "N validation error(s) detected: Value 'v' at 'path' failed to satisfy constraint: Member must
// …", joined by "; "; a value of the wrong JSON type is a SerializationException.
import { describe, expect, it } from 'vitest';
import { checkRequired, coerce, throwIssues, type Issues } from '../../src/emulator/protocol/validate.js';
import type { ServiceModel } from '../../src/emulator/protocol/service-model.js';

const MODEL: ServiceModel = {
  metadata: { serviceId: 'Test', endpointPrefix: 'test' },
  operations: {},
  shapes: {
    Input: {
      type: 'structure',
      required: ['name', 'id'],
      members: {
        name: { shape: 'Name' },
        id: { shape: 'Id', location: 'uri', locationName: 'id' },
        count: { shape: 'Count' },
        ratio: { shape: 'Ratio' },
        flag: { shape: 'Flag' },
        when: { shape: 'When' },
        data: { shape: 'Data' },
        kind: { shape: 'Kind' },
        tags: { shape: 'Tags' },
        labels: { shape: 'Labels' },
        choice: { shape: 'Choice' },
        doc: { shape: 'Doc' },
        raw: { shape: 'Name', jsonvalue: true },
        big: { shape: 'Big' },
        precise: { shape: 'Precise' },
      },
    },
    Id: { type: 'string' },
    Name: { type: 'string', min: 2, max: 5, pattern: '[a-z]+' },
    Count: { type: 'integer', min: 1, max: 10 },
    Ratio: { type: 'float', min: 0, max: 1 },
    Big: { type: 'long', max: 5 },
    Precise: { type: 'double', max: 5 },
    Flag: { type: 'boolean' },
    When: { type: 'timestamp' },
    Data: { type: 'blob', min: 1, max: 3 },
    Kind: { type: 'string', enum: ['A', 'B'] },
    Tags: { type: 'list', member: { shape: 'Name' }, min: 1, max: 2 },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Count' }, max: 1 },
    Choice: { type: 'structure', union: true, members: { a: { shape: 'Flag' }, b: { shape: 'Flag' } } },
    Doc: { type: 'structure', document: true },
  },
};

// Coercers are built once per model and shape: each check gets a fresh copy of the model, so that every check runs
// the building too (a mutation run keeps modules loaded between runs).
function check(value: unknown, model: ServiceModel = structuredClone(MODEL)): { out: unknown; issues: Issues } {
  const issues: Issues = { constraints: [], types: [] };
  const out = coerce(model, { shape: 'Input' }, value, '', issues);
  return { out, issues };
}
const violation = (value: string, path: string, rule: string) => `Value ${value} at '${path}' failed to satisfy constraint: ${rule}`;

describe('constraints of the service model', () => {
  it('accepts a valid input and converts timestamps and base64 blobs', () => {
    const { out, issues } = check({ name: 'abc', count: 1, ratio: 0.5, flag: false, when: 0, data: 'AQID', kind: 'B', tags: ['ab'], labels: { ab: 10 }, choice: { a: true }, doc: { any: [1] }, raw: 7 });
    expect(issues).toEqual({ constraints: [], types: [] });
    expect(out).toMatchObject({ name: 'abc', count: 1, ratio: 0.5, flag: false, kind: 'B', tags: ['ab'], labels: { ab: 10 }, choice: { a: true }, doc: { any: [1] }, raw: 7 });
    const o = out as { when: Date; data: Uint8Array };
    expect(o.when.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect([...o.data]).toEqual([1, 2, 3]);
    expect((check({ name: 'ab', when: '2024-05-01T10:00:00Z' }).out as { when: Date }).when.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect((check({ name: 'ab', when: 1.5 }).out as { when: Date }).when.getTime()).toBe(1500);
  });
  it('takes values at their bounds', () => {
    const { issues } = check({ name: 'abcde', count: 10, ratio: 1, data: 'AQID', tags: ['ab', 'cd'], labels: { ab: 1 } });
    expect(issues.constraints).toEqual([]);
    expect(check({ name: 'ab', count: 1, ratio: 0, data: 'AQ==', tags: ['ab'] }).issues.constraints).toEqual([]);
  });
  it('reports each bound broken, with its path and value', () => {
    expect(check({ name: 'a' }).issues.constraints).toEqual([violation("'a'", 'name', 'Member must have length greater than or equal to 2')]);
    expect(check({ name: 'abcdef' }).issues.constraints).toEqual([violation("'abcdef'", 'name', 'Member must have length less than or equal to 5')]);
    expect(check({ name: 'ab', count: 0 }).issues.constraints).toEqual([violation("'0'", 'count', 'Member must have value greater than or equal to 1')]);
    expect(check({ name: 'ab', count: 11 }).issues.constraints).toEqual([violation("'11'", 'count', 'Member must have value less than or equal to 10')]);
    expect(check({ name: 'ab', ratio: 1.5 }).issues.constraints).toEqual([violation("'1.5'", 'ratio', 'Member must have value less than or equal to 1')]);
    expect(check({ name: 'ab', ratio: -0.5 }).issues.constraints).toEqual([violation("'-0.5'", 'ratio', 'Member must have value greater than or equal to 0')]);
    expect(check({ name: 'ab', data: 'AQIDBA==' }).issues.constraints).toEqual([violation("'<bytes>'", 'data', 'Member must have length less than or equal to 3')]);
    expect(check({ name: 'ab', data: new Uint8Array([1, 2, 3, 4]) }).issues.constraints).toEqual([violation("'<bytes>'", 'data', 'Member must have length less than or equal to 3')]);
    expect(check({ name: 'ab', data: new Uint8Array() }).issues.constraints).toEqual([violation("'<bytes>'", 'data', 'Member must have length greater than or equal to 1')]);
    expect(check({ name: 'ab', tags: [] }).issues.constraints).toEqual([violation("'[]'", 'tags', 'Member must have length greater than or equal to 1')]);
    expect(check({ name: 'ab', tags: ['ab', 'cd', 'ef'] }).issues.constraints).toEqual([violation("'[ab, cd, ef]'", 'tags', 'Member must have length less than or equal to 2')]);
    expect(check({ name: 'ab', labels: { ab: 1, cd: 2 } }).issues.constraints).toEqual([violation(`'{"ab":1,"cd":2}'`, 'labels', 'Member must have length less than or equal to 1')]);
  });
  it('checks list members, map keys and values at their own paths', () => {
    expect(check({ name: 'ab', tags: ['ab', 'X1'] }).issues.constraints).toEqual([violation("'X1'", 'tags.2.member', 'Member must satisfy regular expression pattern: [a-z]+')]);
    expect(check({ name: 'ab', labels: { Q: 0 } }).issues.constraints).toEqual([
      violation("'Q'", 'labels.key', 'Member must have length greater than or equal to 2'),
      violation("'Q'", 'labels.key', 'Member must satisfy regular expression pattern: [a-z]+'),
      violation("'0'", 'labels.Q', 'Member must have value greater than or equal to 1'),
    ]);
  });
  it('matches patterns against the whole value, and checks enums', () => {
    expect(check({ name: 'ab1' }).issues.constraints).toEqual([violation("'ab1'", 'name', 'Member must satisfy regular expression pattern: [a-z]+')]);
    expect(check({ name: 'ab', kind: 'C' }).issues.constraints).toEqual([violation("'C'", 'kind', 'Member must satisfy enum value set: [A, B]')]);
  });
  it('requires required body members, and leaves those bound to the URI to the request parser', () => {
    expect(check({}).issues.constraints).toEqual([violation('null', 'name', 'Member must not be null')]);
    expect(check({ name: null }).issues.constraints).toEqual([violation('null', 'name', 'Member must not be null')]);
    const issues: Issues = { constraints: [], types: [] };
    checkRequired(MODEL.shapes.Input, { name: 'ab' }, 'in', issues, true);
    expect(issues.constraints).toEqual([violation('null', 'in.id', 'Member must not be null')]);
  });
  it('reports a union with other than one member set', () => {
    expect(check({ name: 'ab', choice: {} }).issues.types).toEqual(["Union at 'choice' must have exactly one member set, found 0"]);
    expect(check({ name: 'ab', choice: { a: true, b: false } }).issues.types).toEqual(["Union at 'choice' must have exactly one member set, found 2"]);
    expect(check({ name: 'ab', choice: { a: true, b: null } }).issues).toEqual({ constraints: [], types: [] }); // null: not set
  });
  it('reports values of the wrong JSON type', () => {
    const types = (v: object) => check({ name: 'ab', ...v }).issues.types;
    expect(check('text').issues.types).toEqual(["Expected an object at '' but found string"]);
    expect(check([]).issues.types).toEqual(["Expected an object at '' but found array"]);
    expect(types({ name: 3 })).toEqual(["Expected a string at 'name' but found number"]);
    expect(types({ count: 1.5 })).toEqual(["Expected an integer at 'count' but found number"]);
    expect(types({ count: '1' })).toEqual(["Expected an integer at 'count' but found string"]);
    expect(types({ ratio: '1' })).toEqual(["Expected a number at 'ratio' but found string"]);
    expect(types({ big: 1.5 })).toEqual(["Expected an integer at 'big' but found number"]);
    expect(types({ precise: '1' })).toEqual(["Expected a number at 'precise' but found string"]);
    expect(check({ name: 'ab', big: 6, precise: 5.5 }).issues.constraints).toEqual([
      violation("'6'", 'big', 'Member must have value less than or equal to 5'),
      violation("'5.5'", 'precise', 'Member must have value less than or equal to 5'),
    ]);
    expect(types({ flag: 'true' })).toEqual(["Expected a boolean at 'flag' but found string"]);
    expect(types({ when: 'not a date' })).toEqual(["Expected a timestamp at 'when' but found string"]);
    expect(types({ when: true })).toEqual(["Expected a timestamp at 'when' but found boolean"]);
    expect(types({ data: 5 })).toEqual(["Expected a base64 string at 'data' but found number"]);
    expect(types({ tags: 'ab' })).toEqual(["Expected an array at 'tags' but found string"]);
    expect(types({ labels: [] })).toEqual(["Expected an object at 'labels' but found array"]);
    expect(types({ labels: 'x' })).toEqual(["Expected an object at 'labels' but found string"]);
    expect(types({ choice: null, doc: null })).toEqual([]);
  });
  it("reads members in the model's order, whatever order the body lists them in (an SDK writes them alphabetically)", () => {
    const inModelOrder = check({ name: 'a', count: 0, kind: 'C', tags: [], choice: { b: true, a: 1 } });
    const reversed = check({ choice: { a: 1, b: true }, tags: [], kind: 'C', count: 0, name: 'a' });
    expect(reversed).toEqual(inModelOrder);
    expect(Object.keys(reversed.out as object)).toEqual(['name', 'count', 'kind', 'tags', 'choice']);
    expect(reversed.issues.constraints.map((c) => /at '(\w+)'/.exec(c)![1])).toEqual(['name', 'count', 'kind', 'tags']);
    expect(reversed.issues.types).toEqual(["Expected a boolean at 'choice.a' but found number"]);
  });
  it('reads every member of a structure with many (40)', () => {
    const names = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const wide: ServiceModel = { ...structuredClone(MODEL), shapes: { ...structuredClone(MODEL.shapes), Wide: { type: 'structure', required: ['m38'], members: Object.fromEntries(names.map((n) => [n, { shape: 'Count' }])) } } };
    const issues: Issues = { constraints: [], types: [] };
    const out = coerce(wide, { shape: 'Wide' }, { m39: 3, m35: 0, m2: 4, m30: 5, m31: 6, m0: null, m12: 'x' }, 'w', issues);
    expect(out).toEqual({ m2: 4, m30: 5, m31: 6, m35: 0, m39: 3 });
    expect(Object.keys(out as object)).toEqual(['m2', 'm30', 'm31', 'm35', 'm39']);
    expect(issues.constraints).toEqual([violation("'0'", 'w.m35', 'Member must have value greater than or equal to 1'), violation('null', 'w.m38', 'Member must not be null')]);
    expect(issues.types).toEqual(["Expected an integer at 'w.m12' but found string"]);
    const union = { ...wide, shapes: { ...wide.shapes, Wide: { ...wide.shapes.Wide, required: [], union: true } } };
    const one: Issues = { constraints: [], types: [] };
    expect(coerce(union, { shape: 'Wide' }, { m35: 2, m1: null }, 'u', one)).toEqual({ m35: 2 });
    expect(one).toEqual({ constraints: [], types: [] });
    const two: Issues = { constraints: [], types: [] };
    coerce(union, { shape: 'Wide' }, { m35: 2, m39: 3 }, 'u', two);
    expect(two.types).toEqual(["Union at 'u' must have exactly one member set, found 2"]);
  });
  it('ignores a body member bound to the URI', () => {
    const { out, issues } = check({ name: 'ab', id: 5 });
    expect(issues).toEqual({ constraints: [], types: [] });
    expect(out).toEqual({ name: 'ab' });
  });
  it('matches patterns as Unicode, and each shape with the same pattern checks it', () => {
    // Patterns are compiled once per pattern text, for the life of the process: a suffix that matches the empty
    // string makes this run's patterns new ones.
    const fresh = '(?:)'.repeat(1 + Number(process.hrtime.bigint() % 1000n));
    const model = structuredClone(MODEL);
    model.shapes.Name = { type: 'string', pattern: `\\p{Lu}+${fresh}` };
    model.shapes.Kind = { type: 'string', pattern: `\\p{Lu}+${fresh}` };
    expect(check({ name: 'ÉTÉ', kind: 'ABC' }, model).issues.constraints).toEqual([]);
    expect(check({ name: 'été', kind: 'abc' }, structuredClone(model)).issues.constraints).toHaveLength(2);
  });
  it('compiles a model pattern that is only valid without the Unicode flag (a Java-style escape such as \\_)', () => {
    const fresh = '(?:)'.repeat(1 + Number(process.hrtime.bigint() % 1000n));
    const model = structuredClone(MODEL);
    model.shapes.Kind = { type: 'string', pattern: `a\\_b${fresh}` };
    expect(check({ name: 'ab', kind: 'a_b' }, model).issues.constraints).toEqual([]);
    expect(check({ name: 'ab', kind: 'ab' }, structuredClone(model)).issues.constraints).toHaveLength(1);
  });
  it('shows the items of a list of structures in its constraint message, not "[object Object]"', () => {
    const model = structuredClone(MODEL);
    model.shapes.Pairs = { type: 'list', member: { shape: 'Pair' }, max: 1 };
    model.shapes.Pair = { type: 'structure', members: { k: { shape: 'Name' } } };
    model.shapes.Input.members!.pairs = { shape: 'Pairs' };
    const [message] = check({ name: 'ab', pairs: [{ k: 'ab' }, { k: 'cd' }] }, model).issues.constraints;
    expect(message).toMatch(/^Value '\[.*ab.*cd.*\]' at 'pairs' failed to satisfy constraint: Member must have length less than or equal to 1$/);
    expect(message).not.toContain('[object Object]');
  });
  it('drops null members and answers undefined for a null or absent input', () => {
    expect(check(null).out).toBeUndefined();
    expect(check(undefined)).toEqual({ out: undefined, issues: { constraints: [], types: [] } });
    expect(check({ name: 'ab', count: null, tags: null, labels: null, flag: null, when: null, data: null, ratio: null, raw: null }).out).toEqual({ name: 'ab' });
  });
});

describe('the error for collected issues', () => {
  const thrown = (issues: Issues) => {
    try {
      throwIssues(issues);
      return undefined;
    } catch (e) {
      return { name: (e as Error).name, message: (e as Error).message };
    }
  };
  it('is nothing without issues', () => expect(thrown({ constraints: [], types: [] })).toBeUndefined());
  it('is one ValidationException counting every constraint', () => {
    expect(thrown({ constraints: ['A'], types: [] })).toEqual({ name: 'ValidationException', message: '1 validation error detected: A' });
    expect(thrown({ constraints: ['A', 'B'], types: [] })).toEqual({ name: 'ValidationException', message: '2 validation errors detected: A; B' });
  });
  it('is a SerializationException for a wrong type, before any constraint', () => {
    expect(thrown({ constraints: ['A'], types: ['T1', 'T2'] })).toEqual({ name: 'SerializationException', message: 'T1' });
  });
});
