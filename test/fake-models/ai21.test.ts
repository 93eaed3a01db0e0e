// AI21 Labs, checked against AWS's jurassic2 and jamba pages: J2 answers {id, prompt {text, tokens},
// completions [{data {text, tokens}, finishReason}]}, Jamba answers {id, choices [...], usage}, deterministically,
// within the token limit and before stop sequences; invalid bodies get a ValidationException and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ai21J2, ai21Jamba } from '../../src/fake-models/ai21.js';
import { countTokens } from '../../src/fake-models/tokens.js';
import type { FamilyModule } from '../../src/fake-models/types.js';
import { fixture, form, invalid, unit, validationMessage } from './helpers.js';

const text = fc.string({ minLength: 1, maxLength: 200 });
const stops = fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 4 });

const rejectsInvalid = (family: FamilyModule, modelId: string, bodies: fc.Arbitrary<unknown>) =>
  fc.assert(fc.property(bodies, (body) => void validationMessage(() => family.invoke(body, { modelId }))));

describe('ai21J2', () => {
  const modelId = 'ai21.j2-ultra-v1';
  const penalty = (max: number) =>
    fc.record(
      { scale: fc.double({ min: 0, max, noNaN: true }), applyToWhitespaces: fc.boolean(), applyToPunctuations: fc.boolean(), applyToNumbers: fc.boolean(), applyToStopwords: fc.boolean(), applyToEmojis: fc.boolean() },
      { requiredKeys: ['scale'] },
    );
  const valid = fc.record(
    { prompt: text, maxTokens: fc.integer({ min: 0, max: 8191 }), temperature: unit, topP: unit, stopSequences: stops, countPenalty: penalty(1), presencePenalty: penalty(5), frequencyPenalty: penalty(500) },
    { requiredKeys: ['prompt'] },
  );

  /** A token list whose entries carry token, logprobs and a text range covering the text in order. */
  function checkTokens(tokens: any[], source: string) {
    expect(tokens).toHaveLength(countTokens(source));
    let at = 0;
    for (const t of tokens) {
      expect(typeof t.generatedToken.token).toBe('string');
      expect(typeof t.generatedToken.logprob).toBe('number');
      expect(typeof t.generatedToken.raw_logprob).toBe('number');
      expect(t.textRange.start).toBe(at);
      at = t.textRange.end;
    }
    expect(at).toBe(source.length);
  }

  function check(o: any, body: any) {
    expect(Object.keys(o).sort()).toEqual(['completions', 'id', 'prompt']);
    expect(Number.isInteger(o.id)).toBe(true);
    expect(o.prompt.text).toBe(body.prompt);
    checkTokens(o.prompt.tokens, body.prompt);
    expect(o.completions).toHaveLength(1);
    const [{ data, finishReason }] = o.completions;
    checkTokens(data.tokens, data.text);
    expect(countTokens(data.text)).toBeLessThanOrEqual(body.maxTokens ?? 200);
    for (const s of body.stopSequences ?? []) expect(data.text).not.toContain(s);
    expect(['endoftext', 'length', 'stop']).toContain(finishReason.reason);
    if (finishReason.reason === 'length') expect(finishReason.length).toBe(body.maxTokens ?? 200);
    if (finishReason.reason === 'stop') expect(body.stopSequences).toContain(finishReason.sequence);
  }

  it('answers every valid body in the documented shape, deterministically, within maxTokens', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const out = ai21J2.invoke(body, { modelId });
        check(out.body, body);
        expect(out.outputTokens).toBe((out.body as any).completions[0].data.tokens.length);
        expect(out.inputTokens).toBe((out.body as any).prompt.tokens.length);
        expect(ai21J2.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
    );
  });

  it('answers every record of fixtures/sample-ai21-j2.jsonl', () => {
    const bodies = fixture('ai21-j2');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) check(ai21J2.invoke(body, { modelId }).body, body);
  });

  it('finishes with length at maxTokens and stop at a stop sequence', () => {
    const short = ai21J2.invoke({ prompt: 'Tell me everything', maxTokens: 2 }, { modelId }).body as any;
    expect(short.completions[0].finishReason).toEqual({ reason: 'length', length: 2 });
    const stopped = ai21J2.invoke({ prompt: 'Tell me everything', stopSequences: [' '] }, { modelId }).body as any;
    expect(stopped.completions[0].finishReason).toEqual({ reason: 'stop', sequence: ' ' });
  });

  it('rejects invalid bodies with a ValidationException only', () => {
    rejectsInvalid(
      ai21J2,
      modelId,
      invalid(valid, 'prompt', {
        prompt: [1, ['x'], ''],
        maxTokens: [-1, 8192, 'many'],
        temperature: [1.2, -0.2],
        topP: [2],
        stopSequences: ['###', [null]],
        countPenalty: [0.5, {}, { scale: 2 }, { scale: 0.5, applyToEmojis: 'yes' }, { scale: 0.5, applyToEverything: true }],
        presencePenalty: [{ scale: 6 }],
        frequencyPenalty: [{ scale: 501 }, { scale: -1 }],
      }),
    );
    expect(validationMessage(() => ai21J2.invoke({ prompt: 'x', numResults: 2 }, { modelId }))).toBe(form('#: extraneous key [numResults] is not permitted'));
    expect(validationMessage(() => ai21J2.invoke({ prompt: 'x', countPenalty: {} }, { modelId }))).toBe(form('#/countPenalty: required key [scale] not found'));
  });

  it('does not stream', () => {
    expect(ai21J2.stream).toBeUndefined();
  });
});

describe('ai21Jamba', () => {
  const MODELS = ['ai21.jamba-instruct-v1:0', 'ai21.jamba-1-5-large-v1:0', 'ai21.jamba-1-5-mini-v1:0'];
  const valid = fc.record(
    {
      messages: fc
        .tuple(fc.option(text, { nil: undefined }), fc.array(text, { minLength: 1, maxLength: 4 }))
        .map(([system, turns]) => [
          ...(system === undefined ? [] : [{ role: 'system', content: system }]),
          ...turns.map((content, i) => ({ role: (turns.length - 1 - i) % 2 ? 'assistant' : 'user', content })),
        ]),
      n: fc.integer({ min: 1, max: 16 }),
      max_tokens: fc.integer({ min: 0, max: 4096 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: unit,
      stop: stops,
    },
    { requiredKeys: ['messages'] },
  );

  function check(o: any, body: any) {
    expect(Object.keys(o).sort()).toEqual(['choices', 'id', 'usage']);
    expect(typeof o.id).toBe('string');
    expect(o.choices).toHaveLength(body.n ?? 1);
    o.choices.forEach((c: any, index: number) => {
      expect(c.index).toBe(index);
      expect(c.message.role).toBe('assistant');
      expect(typeof c.message.content).toBe('string');
      expect(['stop', 'length']).toContain(c.finish_reason);
      expect(countTokens(c.message.content)).toBeLessThanOrEqual(body.max_tokens ?? 4096);
      for (const s of body.stop ?? []) expect(c.message.content).not.toContain(s);
    });
    const completion = o.choices.reduce((n: number, c: any) => n + countTokens(c.message.content), 0);
    expect(o.usage).toEqual({ prompt_tokens: body.messages.reduce((n: number, m: any) => n + countTokens(m.content), 0), completion_tokens: completion, total_tokens: o.usage.prompt_tokens + completion });
  }

  it('answers every valid body in the documented shape, deterministically, within max_tokens', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), valid, (modelId, body) => {
        const out = ai21Jamba.invoke(body, { modelId });
        check(out.body, body);
        expect(out.outputTokens).toBe((out.body as any).usage.completion_tokens);
        expect(ai21Jamba.invoke(structuredClone(body), { modelId }).body).toEqual(out.body);
      }),
    );
  });

  it('answers every record of fixtures/sample-ai21-jamba.jsonl', () => {
    const bodies = fixture('ai21-jamba');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) for (const modelId of MODELS) check(ai21Jamba.invoke(body, { modelId }).body, body);
  });

  it('finishes with length at max_tokens and stop at a stop sequence', () => {
    const messages = [{ role: 'user', content: 'Tell me everything' }];
    expect((ai21Jamba.invoke({ messages, max_tokens: 2 }, { modelId: MODELS[0] }).body as any).choices[0].finish_reason).toBe('length');
    const stopped = (ai21Jamba.invoke({ messages, stop: [' '] }, { modelId: MODELS[0] }).body as any).choices[0];
    expect(stopped.finish_reason).toBe('stop');
    expect(stopped.message.content).not.toContain(' ');
  });

  it('rejects invalid bodies with a ValidationException only', () => {
    rejectsInvalid(
      ai21Jamba,
      MODELS[0],
      invalid(valid, 'messages', {
        messages: [[], 'hi', [{ role: 'user' }], [{ role: 'narrator', content: 'x' }], [{ role: 'user', content: 5 }]],
        n: [0, 17, 1.5],
        max_tokens: [-1, 4097],
        temperature: [2.5, -1],
        top_p: [1.5],
        stop: ['END', [1]],
      }),
    );
    expect(validationMessage(() => ai21Jamba.invoke({ messages: [{ role: 'user', content: 'x' }], top_k: 5 }, { modelId: MODELS[0] }))).toBe(form('#: extraneous key [top_k] is not permitted'));
  });

  it('streams OpenAI-style deltas of the first choice, with finish reason and usage last', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const whole = ai21Jamba.invoke({ ...body, n: 1 }, { modelId: MODELS[1] }).body as any;
        const events = ai21Jamba.stream!({ ...body, n: 1 }, { modelId: MODELS[1] }).events as any[];
        expect(events.every((e) => e.id === whole.id)).toBe(true);
        expect(events.map((e) => e.choices[0].delta.content ?? '').join('')).toBe(whole.choices[0].message.content);
        expect(events[0].choices[0].delta.role).toBe('assistant');
        expect(events.slice(0, -1).every((e) => e.choices[0].finish_reason === null)).toBe(true);
        expect(events.at(-1).choices[0].finish_reason).toBe(whole.choices[0].finish_reason);
        expect(events.at(-1).usage).toEqual(whole.usage);
      }),
      { numRuns: 50 },
    );
  });
});
