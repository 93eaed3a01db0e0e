// What the per-family fake-model tests share: fixture bodies, the refusal check (ValidationException on the wire), Bedrock's schema-error
// form, and a generator of invalid bodies derived from valid ones.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ModelRefusal } from '../../src/fake-models/errors.js';

export const unit = fc.double({ min: 0, max: 1, noNaN: true });

/** The modelInput of every record in fixtures/sample-<family>.jsonl. */
export const fixture = (family: string) =>
  readFileSync(new URL(`../../fixtures/sample-${family}.jsonl`, import.meta.url), 'utf8').trim().split('\n').map((line) => JSON.parse(line).modelInput);

/** Runs `fn`, expects the model to refuse the body (Bedrock's ValidationException) and returns the message. */
export function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelRefusal);
    return (e as ModelRefusal).message;
  }
  throw new Error('expected a refusal');
}

export const form = (problem: string) => `Malformed input request: ${problem}, please reformat your input and try again.`;

/** Bodies that break one rule: the required key missing, a bad value, an unknown key, or not an object at all. */
export function invalid(valid: fc.Arbitrary<Record<string, unknown>>, required: string, bad: Record<string, unknown[]>, alsoKnown: string[] = []) {
  const known = new Set([required, ...Object.keys(bad), ...alsoKnown]);
  return fc.oneof(
    valid.map(({ [required]: _, ...rest }) => rest),
    fc.tuple(valid, fc.constantFrom(...Object.entries(bad))).chain(([b, [key, values]]) => fc.constantFrom(...values).map((v) => ({ ...b, [key]: v }))),
    fc.tuple(valid, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k))).map(([b, k]) => ({ ...b, [k]: 1 })),
    fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(valid)),
  );
}
