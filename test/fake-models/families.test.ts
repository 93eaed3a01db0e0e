// Per family: every generated valid body gets a response of the family's documented shape (checked by small
// checkers written from the provider docs, not from the module), deterministically and within its token limit;
// every generated invalid body is refused (a ModelRefusal, Bedrock's ValidationException) and never thrown otherwise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelRefusal, ScriptedFailure } from '../../src/fake-models/errors.js';
import { FAMILIES, invokeModel, invokeModelStream, ScriptBook } from '../../src/fake-models/index.js';
import { listModels, type BodyFamily } from '../../src/registry/index.js';
import { form, validationMessage } from './helpers.js';

const text = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 200 });
const maxTok = fc.integer({ min: 1, max: 300 });
const temp = fc.double({ min: 0, max: 1, noNaN: true });
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown) => typeof v === 'string';

interface Case {
  valid: fc.Arbitrary<Record<string, unknown>>;
  /** The body's output-token limit, when it has one. */
  limit?: (body: any) => number | undefined;
  /** Checks a response against the provider's documented shape; returns the text and its stop reason. */
  check: (out: any) => { text?: string; reason?: unknown };
  lengthReason?: string;
  required: string;
}

/** gpt-oss wraps its reasoning in <reasoning> tags before the answer; the tags are no generated tokens. */
const withoutReasoningTags = (t: string) => t.replace(/<\/?reasoning>/g, '');

const CASES: Record<BodyFamily, Case> = {
  'anthropic-messages': {
    valid: fc.record({ anthropic_version: fc.constant('bedrock-2023-05-31'), max_tokens: maxTok, messages: fc.array(text.filter((t) => t.trim() !== ''), { minLength: 1, maxLength: 3 }).map((ts) => ts.map((t, i) => ({ role: i % 2 ? 'assistant' : 'user', content: t }))).filter((m) => m.length % 2 === 1), temperature: temp }),
    limit: (b) => b.max_tokens,
    check: (o) => {
      expect(o.type).toBe('message');
      expect(o.role).toBe('assistant');
      expect(o.id).toMatch(/^msg_/);
      expect(o.content[0].type).toBe('text');
      expect(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use']).toContain(o.stop_reason);
      expect(isNum(o.usage.input_tokens) && isNum(o.usage.output_tokens)).toBe(true);
      return { text: o.content[0].text, reason: o.stop_reason };
    },
    lengthReason: 'max_tokens',
    required: 'max_tokens',
  },
  'anthropic-text': {
    valid: fc.record({ prompt: text.map((t) => `\n\nHuman: ${t}\n\nAssistant:`), max_tokens_to_sample: maxTok }),
    limit: (b) => b.max_tokens_to_sample,
    check: (o) => (expect(isStr(o.completion)).toBe(true), expect(['stop_sequence', 'max_tokens']).toContain(o.stop_reason), { text: o.completion.trim(), reason: o.stop_reason }),
    lengthReason: 'max_tokens',
    required: 'prompt',
  },
  'titan-text': {
    valid: fc.record({ inputText: text, textGenerationConfig: fc.record({ maxTokenCount: maxTok, temperature: temp }) }),
    limit: (b) => b.textGenerationConfig.maxTokenCount,
    check: (o) => {
      expect(isNum(o.inputTextTokenCount)).toBe(true);
      expect(['FINISH', 'LENGTH', 'STOP_CRITERIA_MET']).toContain(o.results[0].completionReason);
      return { text: o.results[0].outputText, reason: o.results[0].completionReason };
    },
    lengthReason: 'LENGTH',
    required: 'inputText',
  },
  'titan-embed-text-v1': { valid: fc.record({ inputText: text }), check: (o) => (expect(o.embedding).toHaveLength(1536), {}), required: 'inputText' },
  'titan-embed-text-v2': {
    valid: fc.record({ inputText: text, dimensions: fc.constantFrom(256, 512, 1024) }),
    check: (o) => (expect([256, 512, 1024]).toContain(o.embedding.length), expect(Math.hypot(...o.embedding)).toBeCloseTo(1, 6), {}),
    required: 'inputText',
  },
  'titan-embed-image': { valid: fc.record({ inputText: text, embeddingConfig: fc.record({ outputEmbeddingLength: fc.constantFrom(256, 384, 1024) }) }), check: (o) => (expect([256, 384, 1024]).toContain(o.embedding.length), {}), required: 'inputText' },
  'titan-image': {
    valid: fc.record({ taskType: fc.constant('TEXT_IMAGE'), textToImageParams: fc.record({ text: text }), imageGenerationConfig: fc.record({ numberOfImages: fc.integer({ min: 1, max: 3 }) }) }),
    check: (o) => (expect(Buffer.from(o.images[0], 'base64').subarray(1, 4).toString()).toBe('PNG'), {}),
    required: 'taskType',
  },
  nova: {
    valid: fc.record({ messages: text.map((t) => [{ role: 'user', content: [{ text: t }] }]), inferenceConfig: fc.record({ max_new_tokens: maxTok }) }),
    limit: (b) => b.inferenceConfig.max_new_tokens,
    check: (o) => {
      expect(o.output.message.role).toBe('assistant');
      expect(o.usage.totalTokens).toBe(o.usage.inputTokens + o.usage.outputTokens);
      return { text: o.output.message.content[0].text, reason: o.stopReason };
    },
    lengthReason: 'max_tokens',
    required: 'messages',
  },
  llama: {
    valid: fc.record({ prompt: text, max_gen_len: maxTok, temperature: temp }),
    limit: (b) => b.max_gen_len,
    check: (o) => (expect(isNum(o.prompt_token_count) && isNum(o.generation_token_count)).toBe(true), { text: o.generation, reason: o.stop_reason }),
    lengthReason: 'length',
    required: 'prompt',
  },
  'mistral-prompt': { valid: fc.record({ prompt: text, max_tokens: maxTok }), limit: (b) => b.max_tokens, check: (o) => ({ text: o.outputs[0].text, reason: o.outputs[0].stop_reason }), lengthReason: 'length', required: 'prompt' },
  'mistral-chat': {
    valid: fc.record({ messages: text.map((t) => [{ role: 'user', content: t }]), max_tokens: maxTok }),
    limit: (b) => b.max_tokens,
    check: (o) => (expect(o.choices[0].message.role).toBe('assistant'), { text: o.choices[0].message.content, reason: o.choices[0].stop_reason }),
    lengthReason: 'length',
    required: 'messages',
  },
  'cohere-command': {
    valid: fc.record({ prompt: text, max_tokens: maxTok }),
    limit: (b) => b.max_tokens,
    check: (o) => (expect(isStr(o.id)).toBe(true), { text: o.generations[0].text, reason: o.generations[0].finish_reason }),
    lengthReason: 'MAX_TOKENS',
    required: 'prompt',
  },
  'cohere-command-r': { valid: fc.record({ message: text, max_tokens: maxTok }), limit: (b) => b.max_tokens, check: (o) => (expect(isStr(o.response_id)).toBe(true), { text: o.text, reason: o.finish_reason }), lengthReason: 'MAX_TOKENS', required: 'message' },
  'cohere-embed': {
    valid: fc.record({ texts: fc.array(text, { minLength: 1, maxLength: 4 }), input_type: fc.constantFrom('search_document', 'search_query', 'classification', 'clustering') }),
    check: (o) => (expect(o.response_type).toBe('embeddings_floats'), expect(o.embeddings[0]).toHaveLength(1024), {}),
    required: 'input_type',
  },
  'ai21-j2': { valid: fc.record({ prompt: text, maxTokens: maxTok }), limit: (b) => b.maxTokens, check: (o) => ({ text: o.completions[0].data.text, reason: o.completions[0].finishReason.reason }), lengthReason: 'length', required: 'prompt' },
  'ai21-jamba': {
    valid: fc.record({ messages: text.map((t) => [{ role: 'user', content: t }]), max_tokens: maxTok }),
    limit: (b) => b.max_tokens,
    check: (o) => (expect(o.usage.total_tokens).toBe(o.usage.prompt_tokens + o.usage.completion_tokens), { text: o.choices[0].message.content, reason: o.choices[0].finish_reason }),
    lengthReason: 'length',
    required: 'messages',
  },
  'nova-embed': {
    valid: fc.record({ taskType: fc.constant('SINGLE_EMBEDDING'), singleEmbeddingParams: fc.record({ embeddingPurpose: fc.constantFrom('GENERIC_INDEX', 'TEXT_RETRIEVAL'), embeddingDimension: fc.constantFrom(256, 384, 1024, 3072), text: text.map((value) => ({ truncationMode: 'END', value })) }) }),
    check: (o) => (expect(['TEXT', 'IMAGE']).toContain(o.embeddings[0].embeddingType), expect([256, 384, 1024, 3072]).toContain(o.embeddings[0].embedding.length), {}),
    required: 'taskType',
  },
  'cohere-embed-v4': {
    valid: fc.record({ texts: fc.array(text, { minLength: 1, maxLength: 4 }), input_type: fc.constantFrom('search_document', 'search_query'), output_dimension: fc.constantFrom(256, 512, 1024, 1536) }),
    check: (o) => (expect(o.response_type).toBe('embeddings_by_type'), expect([256, 512, 1024, 1536]).toContain(o.embeddings.float[0].length), {}),
    required: 'input_type',
  },
  'openai-chat': {
    valid: fc.record({ messages: text.map((t) => [{ role: 'user', content: t }]), max_completion_tokens: maxTok, temperature: temp }),
    limit: (b) => b.max_completion_tokens,
    check: (o) => {
      expect(o.object).toBe('chat.completion');
      expect(o.usage.total_tokens).toBe(o.usage.prompt_tokens + o.usage.completion_tokens);
      return { text: withoutReasoningTags(o.choices[0].message.content), reason: o.choices[0].finish_reason };
    },
    lengthReason: 'length',
    required: 'messages',
  },
  'deepseek-r1': {
    valid: fc.record({ prompt: text, max_tokens: maxTok, temperature: temp }),
    limit: (b) => b.max_tokens,
    check: (o) => ({ text: o.choices[0].text, reason: o.choices[0].stop_reason }),
    lengthReason: 'length',
    required: 'prompt',
  },
  'stability-sdxl': {
    valid: fc.record({ text_prompts: text.map((t) => [{ text: t }]), cfg_scale: fc.integer({ min: 0, max: 35 }) }),
    check: (o) => (expect(o.result).toBe('success'), expect(Buffer.from(o.artifacts[0].base64, 'base64').subarray(1, 4).toString()).toBe('PNG'), {}),
    required: 'text_prompts',
  },
};

const tokens = (t: string) => Math.ceil(t.length / 4);
// Families whose models the registry may not list yet: a documented model id each.
const DOCUMENTED_IDS: Partial<Record<BodyFamily, string>> = {
  'nova-embed': 'amazon.nova-2-multimodal-embeddings-v1:0',
  'cohere-embed-v4': 'cohere.embed-v4:0',
  'openai-chat': 'openai.gpt-oss-20b-1:0',
  'deepseek-r1': 'deepseek.r1-v1:0',
};
const modelOf = (family: BodyFamily) => listModels().find((m) => m.family === family)?.id ?? DOCUMENTED_IDS[family]!;
const validation = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelRefusal);
    return;
  }
  throw new Error('expected a refusal');
};

describe.each(Object.keys(CASES) as BodyFamily[])('%s', (family) => {
  const c = CASES[family];
  // A fixed clock time: answers that carry a timestamp (Chat Completions' `created`) repeat with it.
  const call = { family, modelId: modelOf(family), now: Date.UTC(2026, 0, 1) };

  it('answers every valid body in its documented shape, deterministically, within the token limit', () => {
    fc.assert(
      fc.property(c.valid, (body) => {
        const out = invokeModel(call, body);
        const { text: t, reason } = c.check(out.body);
        expect(invokeModel(call, structuredClone(body)).body).toEqual(out.body);
        const limit = c.limit?.(body);
        if (limit !== undefined && t !== undefined) {
          expect(tokens(t)).toBeLessThanOrEqual(limit);
          expect(out.outputTokens).toBeLessThanOrEqual(limit);
          if (out.outputTokens < limit - 15) expect(reason).not.toBe(c.lengthReason);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('answers different prompts differently', () => {
    fc.assert(
      fc.property(c.valid, c.valid, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        // With a budget of a token or two, different prompts may both get an empty answer.
        fc.pre((c.limit?.(a) ?? Infinity) >= 30 && (c.limit?.(b) ?? Infinity) >= 30);
        expect(invokeModel(call, a).body).not.toEqual(invokeModel(call, b).body);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses invalid bodies with a ModelRefusal only', () => {
    fc.assert(
      fc.property(c.valid, fc.constantFrom('missing', 'unknown', 'wrongType', 'notObject'), (body, how) => {
        const bad: any = structuredClone(body);
        if (how === 'missing') delete bad[c.required];
        if (how === 'unknown') bad.surely_not_a_field = 1;
        if (how === 'wrongType') bad[c.required] = 12345;
        validation(() => invokeModel(call, how === 'notObject' ? [bad] : bad));
      }),
      { numRuns: 30 },
    );
  });

  if (FAMILIES[family].stream) {
    it('streams the same text it answers whole', () => {
      fc.assert(
        fc.property(c.valid, (body) => {
          const whole = c.check(invokeModel(call, body).body).text ?? '';
          const events = invokeModelStream(call, body).events as any[];
          const streamed = events
            .map((e) => e.delta?.text ?? e.completion ?? e.outputText ?? e.generation ?? e.outputs?.[0]?.text ?? e.contentBlockDelta?.delta?.text ?? (e.event_type === 'text-generation' ? e.text : undefined) ?? (e.is_finished === false ? e.text : undefined) ?? e.choices?.[0]?.delta?.content ?? e.choices?.[0]?.text ?? e.choices?.[0]?.message?.content ?? '')
            .join('');
          expect(withoutReasoningTags(streamed).trim()).toBe(whole.trim());
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe('limits and stop sequences', () => {
  it('truncates at max_tokens with the length reason, and stops at a stop sequence', () => {
    const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
    const base = { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: 'Tell me everything' }] };
    const short = invokeModel({ family: 'anthropic-messages', modelId }, { ...base, max_tokens: 2 }).body as any;
    expect(short.stop_reason).toBe('max_tokens');
    const long = invokeModel({ family: 'anthropic-messages', modelId }, { ...base, max_tokens: 1000 }).body as any;
    expect(long.stop_reason).toBe('end_turn');
    // The body (and so the text) changes with the stop sequence; a space occurs in any answer of two words or more.
    const stopped = invokeModel({ family: 'anthropic-messages', modelId }, { ...base, max_tokens: 1000, stop_sequences: [' '] }).body as any;
    expect(stopped.stop_reason).toBe('stop_sequence');
    expect(stopped.stop_sequence).toBe(' ');
    expect(stopped.content[0].text).not.toContain(' ');
  });

  it('rejects role order Bedrock rejects', () => {
    const call = { family: 'anthropic-messages' as const, modelId: 'anthropic.claude-3-haiku-20240307-v1:0' };
    const body = (roles: string[]) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: roles.map((role) => ({ role, content: 'x' })) });
    validation(() => invokeModel(call, body(['assistant'])));
    validation(() => invokeModel(call, body(['user', 'user'])));
  });

  it("names where in the body a schema violation is, as a JSON pointer into it (Bedrock's `#/a/0/b`)", () => {
    const call = { family: 'anthropic-messages' as const, modelId: 'anthropic.claude-3-haiku-20240307-v1:0' };
    const body = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'x' }, { role: 'assistant' }] };
    expect(validationMessage(() => invokeModel(call, body))).toBe(form('#/messages/1: required key [content] not found'));
  });
});

describe('scripts and faults', () => {
  it('answers scripted text and errors, and fails every other call at rate 0.5', () => {
    const scripts = new ScriptBook();
    const call = { family: 'titan-text' as const, modelId: 'amazon.titan-text-lite-v1', scripts };
    scripts.registerScript({ match: 'weather', response: { text: 'It is sunny' } });
    scripts.registerScript({ match: 'explode', response: { error: { type: 'ModelErrorException' } } });
    expect((invokeModel(call, { inputText: 'the weather?' }).body as any).results[0].outputText).toBe('It is sunny');
    expect(() => invokeModel(call, { inputText: 'explode' })).toThrow(ScriptedFailure);
    scripts.setFaults('*', { errorType: 'ThrottlingException', rate: 0.5 });
    const outcomes = Array.from({ length: 6 }, () => {
      try {
        invokeModel(call, { inputText: 'x' });
        return 'ok';
      } catch (e) {
        return (e as ScriptedFailure).errorType;
      }
    });
    expect(outcomes).toEqual(['ok', 'ThrottlingException', 'ok', 'ThrottlingException', 'ok', 'ThrottlingException']);
  });
});

describe('fixtures', () => {
  it.each(Object.keys(CASES) as BodyFamily[])('fixtures/sample-%s.jsonl holds valid records for the family', async (family) => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(new URL(`../../fixtures/sample-${family}.jsonl`, import.meta.url), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const record = JSON.parse(line);
      CASES[family].check(invokeModel({ family, modelId: modelOf(family) }, record.modelInput).body);
    }
  });
});
