// Cohere on Bedrock, checked against AWS's cohere-command, cohere-command-r-plus and embed pages: valid bodies get
// the documented response (deterministic, within max_tokens, cut before stop sequences; embeddings of 1,024
// unit-norm dimensions or their quantized forms); invalid bodies get a ValidationException and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohereCommand, cohereCommandR, cohereEmbed } from '../../src/fake-models/cohere.js';
import { countTokens } from '../../src/fake-models/tokens.js';
import type { FamilyModule } from '../../src/fake-models/types.js';
import { fixture, form, invalid, unit, validationMessage } from './helpers.js';

const text = fc.string({ minLength: 1, maxLength: 200 });
const stops = (max?: number) => fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: max ?? 5 });

/** Bodies with a required key gone, a documented key of the wrong type or out of range, a key not documented, or no object. */

function rejectsInvalid(family: FamilyModule, modelId: string, bodies: fc.Arbitrary<unknown>) {
  fc.assert(fc.property(bodies, (body) => void validationMessage(() => family.invoke(body, { modelId }))));
}

describe('cohereCommand', () => {
  const modelId = 'cohere.command-text-v14';
  const valid = fc.record(
    {
      prompt: text,
      temperature: fc.double({ min: 0, max: 5, noNaN: true }),
      p: unit,
      k: fc.integer({ min: 0, max: 500 }),
      max_tokens: fc.integer({ min: 1, max: 4096 }),
      stop_sequences: stops(4),
      return_likelihoods: fc.constantFrom('GENERATION', 'ALL', 'NONE'),
      stream: fc.boolean(),
      num_generations: fc.integer({ min: 1, max: 5 }),
      logit_bias: fc.dictionary(fc.integer({ min: 0, max: 50000 }).map(String), fc.double({ min: -10, max: 10, noNaN: true }), { maxKeys: 3 }),
      truncate: fc.constantFrom('NONE', 'START', 'END'),
    },
    { requiredKeys: ['prompt'] },
  );

  function check(o: any, body: any) {
    expect(Object.keys(o).sort()).toEqual(['generations', 'id', 'prompt']);
    expect(typeof o.id).toBe('string');
    expect(o.prompt).toBe(body.prompt);
    expect(o.generations).toHaveLength(body.num_generations ?? 1);
    const scored = body.return_likelihoods === 'GENERATION' || body.return_likelihoods === 'ALL';
    for (const g of o.generations) {
      expect(typeof g.id).toBe('string');
      expect(typeof g.text).toBe('string');
      expect(['COMPLETE', 'MAX_TOKENS', 'ERROR', 'ERROR_TOXIC']).toContain(g.finish_reason);
      expect(g).not.toHaveProperty('index');
      expect(g).not.toHaveProperty('is_finished');
      expect('likelihood' in g && Array.isArray(g.token_likelihoods)).toBe(scored);
      expect(countTokens(g.text)).toBeLessThanOrEqual(body.max_tokens ?? 20);
      for (const s of body.stop_sequences ?? []) expect(g.text).not.toContain(s);
    }
  }

  it('answers every valid body in the documented shape, deterministically, within max_tokens', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const out = cohereCommand.invoke(body, { modelId });
        check(out.body, body);
        expect(out.outputTokens).toBe((out.body as any).generations.reduce((n: number, g: any) => n + countTokens(g.text), 0));
        expect(cohereCommand.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
    );
  });

  it('answers every record of fixtures/sample-cohere-command.jsonl', () => {
    const bodies = fixture('cohere-command');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) check(cohereCommand.invoke(body, { modelId }).body, body);
  });

  it('stops with MAX_TOKENS at max_tokens and COMPLETE at a stop sequence', () => {
    const short = cohereCommand.invoke({ prompt: 'Tell me everything', max_tokens: 2 }, { modelId }).body as any;
    expect(short.generations[0].finish_reason).toBe('MAX_TOKENS');
    const stopped = cohereCommand.invoke({ prompt: 'Tell me everything', max_tokens: 200, stop_sequences: [' '] }, { modelId }).body as any;
    expect(stopped.generations[0].finish_reason).toBe('COMPLETE');
    expect(stopped.generations[0].text).not.toContain(' ');
  });

  it('rejects invalid bodies with a ValidationException only', () => {
    rejectsInvalid(
      cohereCommand,
      modelId,
      invalid(valid, 'prompt', {
        temperature: [5.1, -1, 'warm'],
        p: [1.5, -0.1],
        k: [501, -1, '5'],
        max_tokens: [0, 4097, 1.5],
        stop_sequences: [['a', 'b', 'c', 'd', 'e'], 'end', [1]],
        return_likelihoods: ['SOME', true],
        stream: ['yes', 1],
        num_generations: [0, 6],
        logit_bias: [[1, 2], 'x'],
        truncate: ['MIDDLE', null],
      }),
    );
    expect(validationMessage(() => cohereCommand.invoke({ prompt: 'x', num_generations: 6 }, { modelId }))).toBe(form('#/num_generations: 6 is not less or equal to 5'));
  });

  it('streams text deltas, then one finished event with the whole response', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const whole = cohereCommand.invoke(body, { modelId }).body as any;
        const events = cohereCommand.stream!(body, { modelId }).events as any[];
        const last = events.at(-1);
        expect(last.is_finished).toBe(true);
        expect(last.finish_reason).toBe(whole.generations[0].finish_reason);
        expect(last.response).toEqual(whole);
        const deltas = events.slice(0, -1);
        expect(deltas.every((e) => e.is_finished === false)).toBe(true);
        whole.generations.forEach((g: any, i: number) => {
          const mine = deltas.filter((e) => (whole.generations.length > 1 ? e.index === i : !('index' in e)));
          expect(mine.map((e) => e.text).join('')).toBe(g.text);
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe('cohereCommandR', () => {
  const modelId = 'cohere.command-r-plus-v1:0';
  const FINISH = ['COMPLETE', 'ERROR_TOXIC', 'ERROR_LIMIT', 'ERROR', 'USER_CANCEL', 'MAX_TOKENS'];
  const valid = fc.record(
    {
      message: text,
      chat_history: fc.array(fc.record({ role: fc.constantFrom('USER', 'CHATBOT'), message: text }), { maxLength: 4 }),
      documents: fc.array(fc.record({ title: text, snippet: text }), { maxLength: 3 }),
      search_queries_only: fc.boolean(),
      preamble: text,
      max_tokens: fc.integer({ min: 1, max: 4000 }),
      temperature: unit,
      p: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
      k: fc.integer({ min: 0, max: 500 }),
      prompt_truncation: fc.constantFrom('OFF', 'AUTO_PRESERVE_ORDER'),
      frequency_penalty: unit,
      presence_penalty: unit,
      seed: fc.integer(),
      return_prompt: fc.boolean(),
      stop_sequences: stops(),
      raw_prompting: fc.boolean(),
    },
    { requiredKeys: ['message'] },
  );

  function check(o: any, body: any) {
    for (const key of ['response_id', 'text', 'generation_id']) expect(typeof o[key]).toBe('string');
    expect(FINISH).toContain(o.finish_reason);
    expect(o.chat_history.every((h: any) => ['USER', 'CHATBOT', 'SYSTEM', 'TOOL'].includes(h.role))).toBe(true);
    expect(o.chat_history.at(-2)).toEqual({ role: 'USER', message: body.message });
    expect(Number.isInteger(o.meta.billed_units.input_tokens)).toBe(true);
    expect(o.meta.billed_units.output_tokens).toBe(countTokens(o.text));
    expect(typeof o.meta.api_version.version).toBe('string');
    expect(countTokens(o.text)).toBeLessThanOrEqual(body.max_tokens ?? 4000);
    for (const s of body.stop_sequences ?? []) expect(o.text).not.toContain(s);
    expect(Array.isArray(o.search_queries)).toBe(Boolean(body.search_queries_only));
    expect(typeof o.prompt === 'string').toBe(Boolean(body.return_prompt));
  }

  it('answers every valid body in the documented shape, deterministically, within max_tokens', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const out = cohereCommandR.invoke(body, { modelId });
        check(out.body, body);
        expect(out.outputTokens).toBe((out.body as any).meta.billed_units.output_tokens);
        expect(out.inputTokens).toBe((out.body as any).meta.billed_units.input_tokens);
        expect(cohereCommandR.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
    );
  });

  it('answers every record of fixtures/sample-cohere-command-r.jsonl', () => {
    const bodies = fixture('cohere-command-r');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) check(cohereCommandR.invoke(body, { modelId }).body, body);
  });

  it('stops with MAX_TOKENS at max_tokens', () => {
    expect((cohereCommandR.invoke({ message: 'Tell me everything', max_tokens: 2 }, { modelId }).body as any).finish_reason).toBe('MAX_TOKENS');
  });

  it('rejects invalid bodies with a ValidationException only, in Bedrock words', () => {
    rejectsInvalid(
      cohereCommandR,
      modelId,
      invalid(valid, 'message', {
        message: [7, null],
        chat_history: ['USER: hi', [{ message: 'no role' }], [{ role: 'BOT', message: 'x' }]],
        documents: ['doc', [1]],
        max_tokens: [0, 4001],
        temperature: [1.5],
        p: [0, 1, 0.995],
        k: [501],
        prompt_truncation: ['ON'],
        frequency_penalty: [2],
        presence_penalty: [-1],
        seed: [1.5, 'x'],
        return_prompt: ['true'],
        stop_sequences: ['stop'],
        raw_prompting: [0],
        search_queries_only: ['no'],
      }),
    );
    // Seen from Bedrock for a Command R body carrying Command's top_k.
    expect(validationMessage(() => cohereCommandR.invoke({ message: 'hi', top_k: 5 }, { modelId }))).toBe(form('#: extraneous key [top_k] is not permitted'));
    expect(validationMessage(() => cohereCommandR.invoke({ message: 'hi', stream: true }, { modelId }))).toBe(form('#: extraneous key [stream] is not permitted'));
  });

  it('streams stream-start, text-generation deltas and stream-end with the whole response', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const whole = cohereCommandR.invoke(body, { modelId }).body as any;
        const events = cohereCommandR.stream!(body, { modelId }).events as any[];
        expect(events[0]).toMatchObject({ is_finished: false, event_type: 'stream-start', generation_id: whole.generation_id });
        const deltas = events.slice(1, -1);
        expect(deltas.every((e) => e.event_type === 'text-generation' && e.is_finished === false)).toBe(true);
        expect(deltas.map((e) => e.text).join('')).toBe(whole.text);
        expect(events.at(-1)).toEqual({ is_finished: true, event_type: 'stream-end', finish_reason: whole.finish_reason, response: whole });
      }),
      { numRuns: 50 },
    );
  });
});

describe('cohereEmbed', () => {
  const modelId = 'cohere.embed-multilingual-v3';
  const TYPES = ['float', 'int8', 'uint8', 'binary', 'ubinary'];
  const valid = fc.record(
    {
      texts: fc.array(fc.string({ maxLength: 300 }), { maxLength: 8 }),
      input_type: fc.constantFrom('search_document', 'search_query', 'classification', 'clustering'),
      truncate: fc.constantFrom('NONE', 'START', 'END'),
      embedding_types: fc.subarray(TYPES, { minLength: 1 }),
    },
    { requiredKeys: ['texts', 'input_type'] },
  );
  const RANGE: Record<string, [number, number, number]> = { int8: [-128, 127, 1024], uint8: [0, 255, 1024], binary: [-128, 127, 128], ubinary: [0, 255, 128] };

  function checkFloats(vectors: number[][], count: number) {
    expect(vectors).toHaveLength(count);
    for (const v of vectors) {
      expect(v).toHaveLength(1024);
      expect(Math.hypot(...v)).toBeCloseTo(1, 9);
    }
  }

  function check(o: any, body: any) {
    expect(Object.keys(o).sort()).toEqual(['embeddings', 'id', 'response_type', 'texts']);
    expect(typeof o.id).toBe('string');
    expect(o.texts).toEqual(body.texts);
    if (!body.embedding_types) {
      expect(o.response_type).toBe('embeddings_floats');
      return checkFloats(o.embeddings, body.texts.length);
    }
    expect(o.response_type).toBe('embeddings_by_type');
    expect(Object.keys(o.embeddings).sort()).toEqual([...body.embedding_types].sort());
    for (const [type, vectors] of Object.entries<number[][]>(o.embeddings)) {
      if (type === 'float') {
        checkFloats(vectors, body.texts.length);
        continue;
      }
      const [min, max, length] = RANGE[type];
      expect(vectors).toHaveLength(body.texts.length);
      for (const v of vectors) {
        expect(v).toHaveLength(length);
        expect(v.every((x) => Number.isInteger(x) && x >= min && x <= max)).toBe(true);
      }
    }
  }

  it('answers every valid body with 1,024-dimension embeddings per text, deterministically', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const out = cohereEmbed.invoke(body, { modelId });
        check(out.body, body);
        expect(out.inputTokens).toBe(body.texts.reduce((n, t) => n + countTokens(t), 0));
        expect(cohereEmbed.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
      { numRuns: 50 },
    );
  });

  it('answers every record of fixtures/sample-cohere-embed.jsonl', () => {
    const bodies = fixture('cohere-embed');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) check(cohereEmbed.invoke(body, { modelId }).body, body);
  });

  it('embeds a text the same way in any request, and different texts differently', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        fc.pre(a !== b);
        const embed = (texts: string[]) => (cohereEmbed.invoke({ texts, input_type: 'search_document' }, { modelId }).body as any).embeddings;
        const [ea, eb] = embed([a, b]);
        expect(embed([a])[0]).toEqual(ea);
        expect(ea).not.toEqual(eb);
      }),
      { numRuns: 30 },
    );
  });

  it('takes one image data URI instead of texts', () => {
    const out = cohereEmbed.invoke({ images: ['data:image/png;base64,iVBORw0KGgo='], input_type: 'image' }, { modelId }).body as any;
    checkFloats(out.embeddings, 1);
  });

  it('rejects invalid bodies with a ValidationException only, in Bedrock words', () => {
    rejectsInvalid(
      cohereEmbed,
      modelId,
      invalid(valid, 'input_type', {
        texts: ['hello', [1], Array(97).fill('x'), ['x'.repeat(2049)]],
        input_type: ['search', 3],
        truncate: ['BOTH'],
        embedding_types: [[], ['float16'], 'float'],
        images: [['not a data uri'], ['data:image/png;base64,AA', 'data:image/png;base64,AA']],
      }),
    );
    expect(validationMessage(() => cohereEmbed.invoke({ input_type: 'search_query' }, { modelId }))).toBe(form('#: required key [texts] not found'));
    expect(validationMessage(() => cohereEmbed.invoke({ texts: Array(97).fill('x'), input_type: 'clustering' }, { modelId }))).toBe(form('#/texts: expected maximum item count: 96, found: 97'));
    expect(validationMessage(() => cohereEmbed.invoke({ texts: ['x'.repeat(2049)], input_type: 'clustering' }, { modelId }))).toBe(form('#/texts/0: expected maxLength: 2048, actual: 2049'));
  });

  it('is not a streaming model', () => {
    expect(cohereEmbed.stream).toBeUndefined();
  });
});
