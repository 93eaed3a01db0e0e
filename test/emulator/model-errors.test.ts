// The fake models report failures in their own terms; the emulator's edge gives each the error Bedrock answers:
// type and HTTP status from the bedrock-runtime service model (ValidationException 400, AccessDeniedException 403,
// ThrottlingException 429, ModelErrorException 424 with originalStatusCode and resourceName members).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/emulator/errors.js';
import { awsErrorOf, fromFakeModel } from '../../src/emulator/model-errors.js';
import { FeatureDenied, ModelRefusal, ScriptedFailure } from '../../src/fake-models/errors.js';

describe('the edge mapper of fake-model failures', () => {
  it('gives each failure its Bedrock type, status, message and members', () => {
    const cases: [Error & { message: string }, string, number, Record<string, unknown>][] = [
      [new ModelRefusal('Malformed input request'), 'ValidationException', 400, {}],
      [new FeatureDenied('You invoked an unsupported model'), 'AccessDeniedException', 403, {}],
      [new ScriptedFailure('ThrottlingException', 'Too many requests'), 'ThrottlingException', 429, {}],
      [new ScriptedFailure('ModelTimeoutException', 'Model has timed out'), 'ModelTimeoutException', 408, {}],
      [new ScriptedFailure('ModelErrorException', 'boom', { originalStatusCode: 500, resourceName: 'm' }), 'ModelErrorException', 424, { originalStatusCode: 500, resourceName: 'm' }],
    ];
    for (const [failure, type, status, extra] of cases) {
      const e = awsErrorOf(failure as ModelRefusal);
      expect(e).toBeInstanceOf(AwsError);
      expect({ type: e.type, status: e.status, message: e.message, extra: e.extra }).toEqual({ type, status, message: failure.message, extra });
    }
  });

  it('rethrows failures mapped, and passes results and other errors through untouched', () => {
    expect(fromFakeModel(() => 42)).toBe(42);
    expect(() => fromFakeModel(() => { throw new ModelRefusal('no'); })).toThrow(expect.objectContaining({ type: 'ValidationException', message: 'no' }));
    const bug = new TypeError('a bug');
    expect(() => fromFakeModel(() => { throw bug; })).toThrow(bug);
  });

  it('no fake-model module imports from the emulator', () => {
    const dir = new URL('../../src/fake-models/', import.meta.url);
    const offenders = readdirSync(dir).filter((f) => f.endsWith('.ts') && /from '\.\.\/emulator\//.test(readFileSync(new URL(f, dir), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
