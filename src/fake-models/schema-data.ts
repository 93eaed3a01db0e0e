// Deterministic data for a JSON Schema: forced tool inputs and structured answers (Converse, Anthropic, Nova,
// Cohere, OpenAI tool calls) must satisfy the schema the caller gave. json-schema-faker does the generation;
// its seed comes from the same PRNG as the fake text, so the same request always gets the same value.
import { generateSync, type JsonSchema } from 'json-schema-faker';
import { generate, type Random } from './text-gen.js';

/** A value valid against `schema` (every required member present, types right), fixed by `rand`. */
export function dataForSchema(schema: unknown, rand: Random): unknown {
  const seed = Math.floor(rand() * 0x7fffffff) + 1;
  if (!schema || typeof schema !== 'object') return {};
  try {
    const value = generateSync(schema as JsonSchema, { seed, maxDepth: 6, maxItems: 3, optionalsProbability: 0.5, failOnInvalidTypes: false, defaultInvalidTypeProduct: null });
    return readable(schema as Node, value, rand);
  } catch {
    // A schema the generator cannot satisfy (unresolvable $ref, contradictory keywords): an empty object is what
    // a model answers when it has no better guess.
    return {};
  }
}

interface Node {
  type?: unknown;
  properties?: Record<string, Node>;
  items?: Node;
  enum?: unknown;
  const?: unknown;
  format?: unknown;
  pattern?: unknown;
  minLength?: number;
  maxLength?: number;
}

/**
 * The generator's free strings are random letters ("mw6r7gi"); a model answers words. Strings the schema leaves
 * free (no enum, const, format or pattern) become a few corpus words when they fit its length bounds; everything
 * else (and any string under anyOf/oneOf/$ref, left as generated) keeps the generator's value.
 */
function readable(schema: Node, value: unknown, rand: Random): unknown {
  if (typeof value === 'string') {
    if (schema.type !== 'string' || schema.enum || schema.const !== undefined || schema.format || schema.pattern) return value;
    const words = generate(rand, 6).text;
    const fits = words.length >= (schema.minLength ?? 1) && words.length <= (schema.maxLength ?? Infinity);
    return fits ? words : value;
  }
  if (Array.isArray(value)) return schema.items && typeof schema.items === 'object' ? value.map((v) => readable(schema.items!, v, rand)) : value;
  if (value && typeof value === 'object' && schema.properties) {
    const props = schema.properties;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, props[k] ? readable(props[k], v, rand) : v]));
  }
  return value;
}
