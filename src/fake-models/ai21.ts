// AI21 Labs: Jurassic-2 (complete) and Jamba (chat completions).
import { arr, check, int, num, obj, str, any } from './schema.js';
import { chunks, generate, hexId, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule } from './types.js';

const penalty = obj({ scale: num(0), applyToWhitespaces: any, applyToPunctuations: any, applyToNumbers: any, applyToStopwords: any, applyToEmojis: any }, ['scale']);
const J2_SCHEMA = obj(
  { prompt: str({ minLength: 1 }), maxTokens: int(1, 8191), temperature: num(0, 1), topP: num(0, 1), stopSequences: arr(str()), countPenalty: penalty, presencePenalty: penalty, frequencyPenalty: penalty, numResults: int(1, 16), minTokens: int(0) },
  ['prompt'],
);
const tokensOf = (text: string) => text.split(' ').filter(Boolean).map((t) => ({ generatedToken: { token: `▁${t}` } }));

export const ai21J2: FamilyModule = {
  family: 'ai21-j2',
  invoke(body, ctx) {
    const b = check<{ prompt: string; maxTokens?: number; stopSequences?: string[] }>(J2_SCHEMA, body);
    const rand = seeded(ctx.modelId, body);
    const gen = generate(rand, b.maxTokens ?? 200, b.stopSequences);
    const reason = gen.reason === 'length' ? { reason: 'length', length: b.maxTokens ?? 200 } : gen.reason === 'stop' ? { reason: 'stop', sequence: gen.stopSequence } : { reason: 'endoftext' };
    const inputTokens = countTokens(b.prompt);
    return {
      body: { id: Number.parseInt(hexId(rand, 6), 16), prompt: { text: b.prompt, tokens: tokensOf(b.prompt) }, completions: [{ data: { text: gen.text, tokens: tokensOf(gen.text) }, finishReason: reason }] },
      inputTokens,
      outputTokens: gen.tokens,
      stopReason: reason.reason,
    };
  },
};

const JAMBA_SCHEMA = obj(
  {
    messages: arr(obj({ role: str({ enum: ['system', 'user', 'assistant', 'tool'] }), content: str() }, ['role', 'content']), 1),
    n: int(1, 16), max_tokens: int(0, 4096), temperature: num(0, 2), top_p: num(0, 1), stop: arr(str()), frequency_penalty: num(-2, 2), presence_penalty: num(-2, 2), tools: arr(any), response_format: any, documents: arr(any),
  },
  ['messages'],
);

function answerJamba(body: unknown, modelId: string) {
  const b = check<{ messages: { content: string }[]; max_tokens?: number; stop?: string[]; n?: number }>(JAMBA_SCHEMA, body);
  const rand = seeded(modelId, body);
  const gens = Array.from({ length: b.n ?? 1 }, () => generate(rand, b.max_tokens ?? 4096, b.stop));
  const inputTokens = b.messages.reduce((n, m) => n + countTokens(m.content), 0);
  return { rand, gens, inputTokens };
}

export const ai21Jamba: FamilyModule = {
  family: 'ai21-jamba',
  invoke(body, ctx) {
    const { rand, gens, inputTokens } = answerJamba(body, ctx.modelId);
    const outputTokens = gens.reduce((n, g) => n + g.tokens, 0);
    const choices = gens.map((g, index) => ({ index, message: { role: 'assistant', content: g.text, tool_calls: null }, finish_reason: g.reason === 'length' ? 'length' : 'stop' }));
    return {
      body: { id: `chatcmpl-${hexId(rand, 32)}`, choices, usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens } },
      inputTokens,
      outputTokens,
      stopReason: choices[0].finish_reason,
    };
  },
  stream(body, ctx) {
    const { rand, gens, inputTokens } = answerJamba(body, ctx.modelId);
    const g = gens[0];
    const id = `chatcmpl-${hexId(rand, 32)}`;
    const parts = chunks(g.text);
    const events: Record<string, unknown>[] = parts.map((content, i) => ({ id, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] }));
    events.push({ id, choices: [{ index: 0, delta: {}, finish_reason: g.reason === 'length' ? 'length' : 'stop' }], usage: { prompt_tokens: inputTokens, completion_tokens: g.tokens, total_tokens: inputTokens + g.tokens } });
    return { events, inputTokens, outputTokens: g.tokens };
  },
};
