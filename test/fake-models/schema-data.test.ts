// dataForSchema: what forced tool calls answer must satisfy the tool's schema, repeat for the same request, and
// read as words where the schema leaves a string free.
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataForSchema } from '../../src/fake-models/schema-data.js';
import { seeded } from '../../src/fake-models/text-gen.js';

const leaf = fc.constantFrom<object>(
  { type: 'string' },
  { type: 'string', minLength: 2, maxLength: 40 },
  { type: 'string', enum: ['celsius', 'fahrenheit'] },
  { type: 'string', pattern: '^[A-Z]{4}$' },
  { type: 'string', format: 'date' },
  { type: 'integer', minimum: 1, maximum: 7 },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'array', items: { type: 'string' }, minItems: 1 },
);
const objectSchema = fc
  .dictionary(fc.stringMatching(/^[a-z]{1,8}$/), leaf, { minKeys: 1, maxKeys: 5 })
  .chain((properties) => fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required })));

describe('dataForSchema', () => {
  it('answers a value valid for the schema, the same for the same seed', () => {
    const ajv = new Ajv({ strict: false });
    fc.assert(
      fc.property(objectSchema, fc.string(), (schema, seed) => {
        const value = dataForSchema(schema, seeded(seed));
        const validate = ajv.compile(schema);
        expect(validate(value), JSON.stringify({ value, errors: validate.errors })).toBe(true);
        expect(dataForSchema(schema, seeded(seed))).toEqual(value);
      }),
      { numRuns: 100 },
    );
  });

  it('fills a free string with words, and keeps pattern, enum and format strings as the generator made them', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, sign: { type: 'string', pattern: '^W[A-Z]{3}$' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'sign', 'unit'] };
    const value = dataForSchema(schema, seeded('weather')) as Record<string, string>;
    expect(value.city).toMatch(/^[A-Z][a-z]+( [a-z]+)*\.?$/);
    expect(value.sign).toMatch(/^W[A-Z]{3}$/);
    expect(['c', 'f']).toContain(value.unit);
  });

  it('answers {} for what is no schema', () => {
    expect(dataForSchema(undefined, seeded('x'))).toEqual({});
  });
});
