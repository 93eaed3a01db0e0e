// Deterministic data for a JSON Schema: forced tool inputs and structured answers (Converse, Anthropic, Nova,
// Cohere, OpenAI tool calls) must satisfy the schema the caller gave. json-schema-faker does the generation;
// its seed comes from the same PRNG as the fake text, so the same request always gets the same value. Free-text
// strings are then swapped for words from the fake-text corpus, so tool inputs read like words, not noise.
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { phrase, type Random } from './text-gen.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value valid against `schema` (every required member present, types right), fixed by `rand`. */
export function dataForSchema(schema: unknown, rand: Random): Json {
  const seed = Math.floor(rand() * 0x7fffffff) + 1;
  if (!schema || typeof schema !== 'object') return {};
  let value: unknown;
  try {
    value = generateSync(schema as JsonSchema, { seed, maxDepth: 32, maxItems: 3, optionalsProbability: 0.5, useExamplesValue: true, failOnInvalidTypes: false, defaultInvalidTypeProduct: null });
  } catch {
    // A schema the generator cannot satisfy (unresolvable $ref, contradictory keywords): an empty object is what
    // a model answers when it has no better guess.
    return {};
  }
  // json-schema-faker makes JSON values (from a JSON Schema), and readable only swaps strings for strings.
  return readable(schema as Schema, value, rand) as Json;
}

type Schema = Record<string, unknown>;
/** Keywords under which a value's validity depends on more than its own subschema: such values are left as made. */
const ENTANGLED = ['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref', 'dependentSchemas', 'dependencies', 'examples', 'default', 'const', 'enum'];
const FREE_TEXT_BLOCKERS = ['pattern', 'format', 'contentEncoding', 'contentMediaType'];

/** Replaces strings whose subschema asks for nothing but a length with corpus words of a fitting length. */
function readable(schema: Schema, value: unknown, rand: Random): unknown {
  if (!schema || typeof schema !== 'object' || ENTANGLED.some((k) => k in schema)) return value;
  if (typeof value === 'string') {
    if (schema.type !== 'string' || FREE_TEXT_BLOCKERS.some((k) => k in schema)) return value;
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(40, 2 * min);
    const words = phrase(rand, max);
    return words && words.length >= min && words.length <= max ? words : value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (schema.uniqueItems || 'contains' in schema || 'prefixItems' in schema || !items || typeof items !== 'object') return value;
    return value.map((v) => readable(items as Schema, v, rand));
  }
  if (value && typeof value === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if ('patternProperties' in schema || 'propertyNames' in schema) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k in properties ? readable(properties[k], v, rand) : v]));
  }
  return value;
}
