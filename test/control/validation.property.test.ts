// The validator against the service model, by property: every value generated to satisfy a member's constraints
// (lengths, patterns, enums, ranges) is accepted, and every value generated to break exactly one of them is
// rejected with AWS's ValidationException naming that member. Inputs go through parseInput, the same function
// that parses every request, so the generators exercise the real wire path without a socket per case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/emulator/errors.js';
import { parseInput, type RawRequest } from '../../src/emulator/protocol/rest-json.js';
import { matchOperation, MODELS, type CompiledOperation } from '../../src/emulator/protocol/service-model.js';

const shapes = MODELS.bedrock.shapes;
const RUNS = { numRuns: 300 };

function compiled(method: string, path: string): CompiledOperation {
  const { match } = matchOperation(method, path);
  if (!match) throw new Error(`no operation for ${method} ${path}`);
  return match.compiled;
}

const createProfile = compiled('POST', '/inference-profiles');
const listProfiles = compiled('GET', '/inference-profiles');
const tagResource = compiled('POST', '/tagResource');

function request(body?: unknown, query: Record<string, string> = {}): RawRequest {
  return {
    labels: {},
    query: new URLSearchParams(query),
    headers: new Headers({ 'content-type': 'application/json' }),
    body: body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(body)),
  };
}

/** The error parseInput throws, or undefined when it accepts. */
function rejection(op: CompiledOperation, req: RawRequest): AwsError | undefined {
  try {
    parseInput(op, req);
    return undefined;
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
}

/** Strings matching a shape's pattern (anchored as AWS anchors it) within its length bounds. */
function valid(shapeName: string, bounds: { min?: number; max?: number } = {}): fc.Arbitrary<string> {
  const shape = shapes[shapeName];
  const min = bounds.min ?? shape.min ?? 0;
  const max = bounds.max ?? shape.max ?? 300;
  const re = new RegExp(`^(?:${shape.pattern ?? '[\\s\\S]*'})$`, 'u');
  return fc.stringMatching(re, { maxLength: max }).filter((s) => s.length >= min);
}

/**
 * Strings longer than a shape allows, every character still matching its pattern: a valid string repeated and
 * cut (for patterns where any non-empty prefix of a repetition stays valid: names, descriptions, tag keys).
 */
function tooLong(shapeName: string, length: { min: number; max: number }): fc.Arbitrary<string> {
  return fc
    .tuple(valid(shapeName, { min: 1, max: 40 }), fc.integer(length))
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
}

const tag = fc.record({ key: valid('TagKey'), value: valid('TagValue') });
const copyFrom = valid('InferenceProfileModelSourceArn');

const createInput = fc.record(
  {
    inferenceProfileName: valid('InferenceProfileName'),
    description: valid('InferenceProfileDescription'),
    clientRequestToken: valid('IdempotencyToken'),
    modelSource: fc.record({ copyFrom }),
    tags: fc.array(tag, { maxLength: 5 }),
  },
  { requiredKeys: ['inferenceProfileName', 'modelSource'] },
);

// The one alternative of TaggableResourcesArn's pattern each generator follows; the whole pattern uses inner
// anchors that a generator cannot follow, so each alternative is generated on its own.
const taggableArn = fc
  .oneof(
    fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/, { maxLength: 60 }),
    fc.stringMatching(/^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:([0-9]{12}|):(inference-profile|application-inference-profile)\/[a-zA-Z0-9-:.]+$/, { maxLength: 200 }),
    fc.stringMatching(/^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:([0-9]{12}|):(provisioned-model|model-invocation-job|evaluation-job|async-invoke|prompt-router)\/[a-z0-9]{12}$/, { maxLength: 200 }),
  )
  .filter((s) => s.length >= 20);

/** Strings of characters the pattern never allows, for a shape whose pattern is a repeated character class. */
const withForbiddenChar = (base: fc.Arbitrary<string>, forbidden: string) =>
  fc.tuple(base, fc.constantFrom(...forbidden), fc.nat()).map(([s, c, at]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + c + s.slice(i);
  });

function expectViolation(err: AwsError | undefined, path: string, rule: RegExp) {
  expect(err?.type).toBe('ValidationException');
  expect(err?.status).toBe(400);
  expect(err?.message).toMatch(/^1 validation error detected: Value /);
  expect(err?.message).toContain(`at '${path}' failed to satisfy constraint: `);
  expect(err?.message).toMatch(rule);
}

describe('CreateInferenceProfile input validation', () => {
  it('accepts every input that satisfies the model', () => {
    fc.assert(fc.property(createInput, (input) => {
        expect(rejection(createProfile, request(input))).toBeUndefined();
      }), RUNS);
  });

  it('rejects a name that is too long, empty, or breaks the pattern', () => {
    const base = { modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1' } };
    const long = tooLong('InferenceProfileName', { min: 65, max: 120 });
    fc.assert(
      fc.property(long, (name) =>
        expectViolation(rejection(createProfile, request({ ...base, inferenceProfileName: name })), 'inferenceProfileName', /length less than or equal to 64/),
      ),
      RUNS,
    );
    // Two separators in a row, a leading separator, or a character outside [0-9a-zA-Z _-].
    const badName = fc.oneof(
      withForbiddenChar(valid('InferenceProfileName', { max: 40 }), '.:/@#!é'),
      valid('InferenceProfileName', { max: 40 }).map((s) => `_${s}`),
      fc.constantFrom('a__b', 'a  b', '-a', 'a_-b'),
    );
    fc.assert(
      fc.property(badName, (name) =>
        expectViolation(rejection(createProfile, request({ ...base, inferenceProfileName: name })), 'inferenceProfileName', /regular expression pattern/),
      ),
      RUNS,
    );
    // AWS reports every constraint a value breaks: the empty name breaks the length and the pattern.
    expect(rejection(createProfile, request({ ...base, inferenceProfileName: '' }))?.message).toBe(
      "2 validation errors detected: Value '' at 'inferenceProfileName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'inferenceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: ([0-9a-zA-Z][ _-]?)+",
    );
  });

  it('rejects a description, token or source ARN that breaks its constraint', () => {
    const base = { inferenceProfileName: 'p', modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1' } };
    fc.assert(
      fc.property(withForbiddenChar(valid('InferenceProfileDescription', { max: 100 }), ',;!?"()'), (description) =>
        expectViolation(rejection(createProfile, request({ ...base, description })), 'description', /regular expression pattern/),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(tooLong('InferenceProfileDescription', { min: 201, max: 260 }), (description) =>
        expectViolation(rejection(createProfile, request({ ...base, description })), 'description', /length less than or equal to 200/),
      ),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(valid('IdempotencyToken', { max: 60 }).map((t) => `-${t}`), (clientRequestToken) =>
        expectViolation(rejection(createProfile, request({ ...base, clientRequestToken })), 'clientRequestToken', /regular expression pattern/),
      ),
      RUNS,
    );
    // An application-inference-profile ARN is not a valid source: the pattern admits foundation models and
    // system profiles only.
    fc.assert(
      fc.property(copyFrom.map((arn) => arn.replace(/:(inference-profile|foundation-model)\//, ':application-inference-profile/')), (arn) =>
        expectViolation(rejection(createProfile, request({ ...base, modelSource: { copyFrom: arn } })), 'modelSource.copyFrom', /regular expression pattern/),
      ),
      RUNS,
    );
  });

  it('rejects tags that break the key/value constraints or exceed 200', () => {
    const base = { inferenceProfileName: 'p', modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1' } };
    fc.assert(
      fc.property(fc.array(tag, { minLength: 2, maxLength: 4 }), fc.nat(), tooLong('TagKey', { min: 129, max: 160 }), (tags, at, key) => {
        const i = at % tags.length;
        tags[i] = { ...tags[i], key };
        expectViolation(rejection(createProfile, request({ ...base, tags })), `tags.${i + 1}.member.key`, /length less than or equal to 128/);
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(withForbiddenChar(valid('TagValue', { max: 30 }), '!#$%^&*()[]{}<>?,;"\'|\\~`'), (value) =>
        expectViolation(rejection(createProfile, request({ ...base, tags: [{ key: 'k', value }] })), 'tags.1.member.value', /regular expression pattern/),
      ),
      RUNS,
    );
    const many = Array.from({ length: 201 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expectViolation(rejection(createProfile, request({ ...base, tags: many })), 'tags', /length less than or equal to 200/);
  });

  it('requires the name and the model source', () => {
    const err = rejection(createProfile, request({ description: 'd' }));
    expect(err?.type).toBe('ValidationException');
    expect(err?.message).toMatch(/^2 validation errors detected: /);
    expect(err?.message).toContain("Value null at 'inferenceProfileName' failed to satisfy constraint: Member must not be null");
    expect(err?.message).toContain("Value null at 'modelSource' failed to satisfy constraint: Member must not be null");
  });
});

describe('ListInferenceProfiles input validation', () => {
  const query = fc.record(
    {
      maxResults: fc.integer({ min: 1, max: 1000 }).map(String),
      nextToken: valid('PaginationToken', { max: 100 }),
      type: fc.constantFrom(...shapes.InferenceProfileType.enum!),
    },
    { requiredKeys: [] },
  );

  it('accepts every query that satisfies the model', () => {
    fc.assert(fc.property(query, (q) => {
        expect(rejection(listProfiles, request(undefined, q))).toBeUndefined();
      }), RUNS);
  });

  it('rejects maxResults out of 1..1000', () => {
    const out = fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 }));
    fc.assert(
      fc.property(out, (n) => {
        const err = rejection(listProfiles, request(undefined, { maxResults: String(n) }));
        expectViolation(err, 'maxResults', n < 1 ? /value greater than or equal to 1/ : /value less than or equal to 1000/);
      }),
      RUNS,
    );
  });

  it('rejects a type outside the enum and a token with whitespace', () => {
    const notEnum = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !shapes.InferenceProfileType.enum!.includes(s));
    fc.assert(
      fc.property(notEnum, (type) => expectViolation(rejection(listProfiles, request(undefined, { type })), 'typeEquals', /enum value set: \[SYSTEM_DEFINED, APPLICATION\]/)),
      RUNS,
    );
    fc.assert(
      fc.property(withForbiddenChar(valid('PaginationToken', { min: 1, max: 50 }), ' \t\n'), (nextToken) =>
        expectViolation(rejection(listProfiles, request(undefined, { nextToken })), 'nextToken', /regular expression pattern/),
      ),
      RUNS,
    );
  });
});

describe('TagResource input validation', () => {
  it('accepts every ARN and tag list that satisfies the model', () => {
    fc.assert(
      fc.property(taggableArn, fc.array(tag, { maxLength: 5 }), (resourceARN, tags) => {
        expect(rejection(tagResource, request({ resourceARN, tags }))).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('rejects an ARN shorter than 20 or longer than 1011 characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]*$/, { maxLength: 19 }), (resourceARN) =>
        expectViolation(rejection(tagResource, request({ resourceARN, tags: [] })), 'resourceARN', /length greater than or equal to 20/),
      ),
      RUNS,
    );
    const long = fc.integer({ min: 1012, max: 1100 }).map((n) => 'a'.repeat(n));
    fc.assert(
      fc.property(long, (resourceARN) =>
        expectViolation(rejection(tagResource, request({ resourceARN, tags: [] })), 'resourceARN', /length less than or equal to 1011/),
      ),
      { numRuns: 20 },
    );
  });

  it('rejects an empty tag key', () => {
    fc.assert(
      fc.property(taggableArn, valid('TagValue', { max: 20 }), (resourceARN, value) =>
        expectViolation(rejection(tagResource, request({ resourceARN, tags: [{ key: '', value }] })), 'tags.1.member.key', /length greater than or equal to 1/),
      ),
      RUNS,
    );
  });
});
