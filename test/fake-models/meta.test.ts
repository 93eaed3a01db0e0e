// Meta Llama, checked against AWS's model-parameters-meta page: every valid body gets {generation,
// prompt_token_count, generation_token_count, stop_reason}, deterministically and within max_gen_len; every invalid
// body gets a ValidationException in Bedrock's JSON-schema form and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { llama } from '../../src/fake-models/meta.js';
import { countTokens } from '../../src/fake-models/tokens.js';
import { listModels } from '../../src/registry/index.js';
import { fixture, unit, validationMessage } from './helpers.js';

// Llama 2 and 3.x: max_gen_len at most 2,048 (model-parameters-meta). Llama 4 (8K output, its model cards) below.
const MODELS = listModels().filter((m) => m.family === 'llama' && !m.id.includes('llama4')).map((m) => m.id);
const LLAMA4 = ['meta.llama4-scout-17b-instruct-v1:0', 'meta.llama4-maverick-17b-instruct-v1:0'];
const VISION = ['meta.llama3-2-11b-instruct-v1:0', 'meta.llama3-2-90b-instruct-v1:0'];

const validBody = fc.record(
  { prompt: fc.string({ minLength: 1, maxLength: 300 }), temperature: unit, top_p: unit, max_gen_len: fc.integer({ min: 1, max: 2048 }) },
  { requiredKeys: ['prompt'] },
);

/** The documented response, and nothing else. */
function checkResponse(o: any, body: { prompt: string; max_gen_len?: number }) {
  expect(Object.keys(o).sort()).toEqual(['generation', 'generation_token_count', 'prompt_token_count', 'stop_reason']);
  expect(typeof o.generation).toBe('string');
  expect(o.prompt_token_count).toBe(countTokens(body.prompt));
  expect(o.generation_token_count).toBe(countTokens(o.generation));
  expect(o.generation_token_count).toBeLessThanOrEqual(body.max_gen_len ?? 512);
  expect(['stop', 'length']).toContain(o.stop_reason);
}

// Wrong types and out-of-range values for each documented field.
const BAD: Record<string, unknown[]> = {
  prompt: [42, null, [], {}, ''],
  temperature: ['0.5', -0.1, 1.01, true],
  top_p: [-1, 2, 'high', []],
  max_gen_len: [0, 2049, 1.5, '100', -5],
};
const KNOWN = new Set(['prompt', 'temperature', 'top_p', 'max_gen_len']);

const invalidBody = fc.oneof(
  validBody.map(({ prompt: _, ...rest }) => rest),
  fc.tuple(validBody, fc.constantFrom(...Object.entries(BAD))).chain(([b, [key, values]]) => fc.constantFrom(...values).map((v) => ({ ...b, [key]: v }))),
  fc.tuple(validBody, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k))).map(([b, k]) => ({ ...b, [k]: 1 })),
  fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(validBody)),
);

describe('llama', () => {
  it('answers every valid body in the documented shape, deterministically, within max_gen_len', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), validBody, (modelId, body) => {
        const out = llama.invoke(body, { modelId });
        checkResponse(out.body, body);
        expect(out.outputTokens).toBe((out.body as any).generation_token_count);
        expect(out.inputTokens).toBe((out.body as any).prompt_token_count);
        expect(llama.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
        // Stopping short of the budget is a natural stop, never "length".
        if (out.outputTokens < (body.max_gen_len ?? 512) - 5) expect((out.body as any).stop_reason).toBe('stop');
      }),
    );
  });

  it('answers different prompts differently', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        const call = (prompt: string) => llama.invoke({ prompt, max_gen_len: 100 }, { modelId: MODELS[0] }).body;
        expect(call(a)).not.toEqual(call(b));
      }),
    );
  });

  it('stops with "length" at max_gen_len', () => {
    const out = llama.invoke({ prompt: 'Tell me everything', max_gen_len: 3 }, { modelId: MODELS[0] }).body as any;
    expect(out.stop_reason).toBe('length');
    expect(out.generation_token_count).toBeLessThanOrEqual(3);
  });

  it('takes images on the vision models only', () => {
    const body = { prompt: '<|image|>What is this?', images: ['iVBORw0KGgo='] };
    for (const modelId of VISION) checkResponse(llama.invoke(body, { modelId }).body, body);
    expect(validationMessage(() => llama.invoke(body, { modelId: 'meta.llama3-8b-instruct-v1:0' }))).toBe(
      'Malformed input request: #: extraneous key [images] is not permitted, please reformat your input and try again.',
    );
  });

  it('rejects every invalid body with a ValidationException only', () => {
    fc.assert(fc.property(fc.constantFrom(...MODELS), invalidBody, (modelId, body) => void validationMessage(() => llama.invoke(body, { modelId }))));
    fc.assert(fc.property(invalidBody, (body) => void validationMessage(() => llama.stream!(body, { modelId: MODELS[0] }))), { numRuns: 30 });
  });

  it('takes max_gen_len up to 8,192 on Llama 4 (its model cards: "Max output tokens: 8K"), and refuses 8,193', () => {
    for (const modelId of LLAMA4) {
      checkResponse(llama.invoke({ prompt: 'Hi', max_gen_len: 8192 }, { modelId }).body, { prompt: 'Hi', max_gen_len: 8192 });
      validationMessage(() => llama.invoke({ prompt: 'Hi', max_gen_len: 8193 }, { modelId }));
    }
  });

  it("words its errors as Bedrock's schema check does", () => {
    const modelId = MODELS[0];
    const message = (body: unknown) => validationMessage(() => llama.invoke(body, { modelId }));
    const form = (problem: string) => `Malformed input request: ${problem}, please reformat your input and try again.`;
    expect(message({})).toBe(form('#: required key [prompt] not found'));
    expect(message({ prompt: 'x', temperature: 1.5 })).toBe(form('#/temperature: 1.5 is not less or equal to 1'));
    expect(message({ prompt: 'x', max_gen_len: 0 })).toBe(form('#/max_gen_len: 0 is not greater or equal to 1'));
    expect(message({ prompt: 'x', max_gen_length: 10 })).toBe(form('#: extraneous key [max_gen_length] is not permitted'));
    expect(message({ prompt: 'x', top_p: '0.9' })).toBe(form('#/top_p: expected type: Number, found: String'));
  });

  it('streams the same generation in chunks: prompt count first, stop reason last', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const whole = llama.invoke(body, { modelId: MODELS[0] }).body as any;
        const { events, outputTokens } = llama.stream!(body, { modelId: MODELS[0] });
        const chunks = events as any[];
        expect(chunks.map((e) => e.generation).join('')).toBe(whole.generation);
        expect(chunks[0].prompt_token_count).toBe(whole.prompt_token_count);
        expect(chunks.slice(1).every((e) => e.prompt_token_count === null)).toBe(true);
        expect(chunks.slice(0, -1).every((e) => e.stop_reason === null)).toBe(true);
        expect(chunks.at(-1).stop_reason).toBe(whole.stop_reason);
        expect(chunks.at(-1).generation_token_count).toBe(whole.generation_token_count);
        expect(outputTokens).toBe(whole.generation_token_count);
      }),
      { numRuns: 50 },
    );
  });
});

describe('fixtures/sample-llama.jsonl', () => {
  it('holds five records every Llama answers', () => {
    const bodies = fixture('llama');
    expect(bodies).toHaveLength(5);
    for (const modelId of MODELS) for (const body of bodies) checkResponse(llama.invoke(body, { modelId }).body, body);
  });
});
