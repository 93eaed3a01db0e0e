// Deterministic data for a JSON Schema: forced tool inputs and structured answers (Converse, Anthropic, Nova,
// Cohere, OpenAI tool calls) must satisfy the schema the caller gave. json-schema-faker does the generation;
// its seed comes from the same PRNG as the fake text, so the same request always gets the same value.
import { generateSync, type JsonSchema } from 'json-schema-faker';
import type { Random } from './text-gen.js';

/** A value valid against `schema` (every required member present, types right), fixed by `rand`. */
export function dataForSchema(schema: unknown, rand: Random): unknown {
  const seed = Math.floor(rand() * 0x7fffffff) + 1;
  if (!schema || typeof schema !== 'object') return {};
  try {
    return generateSync(schema as JsonSchema, { seed, maxDepth: 6, maxItems: 3, optionalsProbability: 0.5, failOnInvalidTypes: false, defaultInvalidTypeProduct: null });
  } catch {
    // A schema the generator cannot satisfy (unresolvable $ref, contradictory keywords): an empty object is what
    // a model answers when it has no better guess.
    return {};
  }
}
