// AI21 Labs: Jurassic-2 (complete) and Jamba (chat completions).
import { any, arr, bool, checkBody, int, num, obj, str } from './schema.js';
import { dataForSchema } from './schema-data.js';
import { alnumId, chunks, generate, hexId, seeded, type Generated } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

// ---- Jurassic-2 ----

const penalty = (maxScale: number) =>
  obj({ scale: num(0, maxScale), applyToWhitespaces: bool, applyToPunctuations: bool, applyToNumbers: bool, applyToStopwords: bool, applyToEmojis: bool }, ['scale']);
const J2 = obj(
  {
    prompt: str({ minLength: 1 }), maxTokens: int(0, 8191), temperature: num(0, 1), topP: num(0, 1), stopSequences: arr(str()),
    countPenalty: penalty(1), presencePenalty: penalty(5), frequencyPenalty: penalty(500),
  },
  ['prompt'],
);

/** J2's token list, cut as the shared approximation counts (four characters a token) so its length is the count. */
function tokenList(text: string, rand: () => number) {
  const out = [];
  for (let start = 0; start < text.length; start += 4) {
    const end = Math.min(start + 4, text.length);
    const logprob = -rand() * 3;
    out.push({ generatedToken: { token: text.slice(start, end).replaceAll(' ', '▁'), logprob, raw_logprob: logprob }, topTokens: null, textRange: { start, end } });
  }
  return out;
}

function finishReason(gen: Generated, maxTokens: number) {
  if (gen.reason === 'length') return { reason: 'length', length: maxTokens };
  if (gen.reason === 'stop') return { reason: 'stop', sequence: gen.stopSequence };
  return { reason: 'endoftext' };
}

export const ai21J2: FamilyModule = {
  family: 'ai21-j2',
  invoke(body, ctx) {
    const b = checkBody<{ prompt: string; maxTokens?: number; stopSequences?: string[] }>(J2, body);
    const rand = seeded(ctx.modelId, body);
    const maxTokens = b.maxTokens ?? 200;
    const gen = generate(rand, maxTokens, b.stopSequences);
    const finish = finishReason(gen, maxTokens);
    const completion = { data: { text: gen.text, tokens: tokenList(gen.text, rand) }, finishReason: finish };
    return {
      body: { id: Math.floor(rand() * 1e4), prompt: { text: b.prompt, tokens: tokenList(b.prompt, rand) }, completions: [completion] },
      inputTokens: countTokens(b.prompt),
      outputTokens: gen.tokens,
      stopReason: finish.reason,
    };
  },
};

// ---- Jamba ----

const JAMBA = obj(
  {
    messages: arr(obj({ role: str({ enum: ['system', 'user', 'assistant', 'tool'] }), content: str(), tool_calls: arr(any), tool_call_id: str() }, ['role', 'content']), 1),
    n: int(1, 16), max_tokens: int(0, 4096), temperature: num(0, 2), top_p: num(0, 1), stop: arr(str()),
    frequency_penalty: num(-2, 2), presence_penalty: num(-2, 2), tools: arr(any), response_format: any, documents: arr(any),
  },
  ['messages'],
);

interface JambaBody {
  messages: { role: string; content: string }[];
  max_tokens?: number;
  stop?: string[];
  n?: number;
  tools?: { type?: string; function?: { name: string; parameters?: unknown } }[];
}

function answerJamba(body: unknown, ctx: InvokeContext) {
  const b = checkBody<JambaBody>(JAMBA, body);
  const rand = seeded(ctx.modelId, body);
  const gens = Array.from({ length: b.n ?? 1 }, () => generate(rand, b.max_tokens ?? 4096, b.stop));
  const inputTokens = b.messages.reduce((n, m) => n + countTokens(m.content), 0);
  // With tools and no tool result to read, the first answer that ends naturally also calls a tool, its arguments
  // valid for the function's parameters (model-parameters-jamba: tools, tool_calls).
  const functions = (b.tools ?? []).flatMap((t) => (t.function ? [t.function] : []));
  const fn = functions.length && b.messages.at(-1)!.role !== 'tool' && gens[0].reason === 'end' ? functions[Math.floor(rand() * functions.length)] : undefined;
  const toolCalls = fn && [{ id: `call_${alnumId(rand, 24)}`, type: 'function', function: { name: fn.name, arguments: JSON.stringify(dataForSchema(fn.parameters ?? { type: 'object' }, rand)) } }];
  const outputTokens = gens.reduce((n, g) => n + g.tokens, 0) + (toolCalls ? countTokens(toolCalls[0].function.arguments) : 0);
  return { id: `chatcmpl-${hexId(rand, 32)}`, gens, inputTokens, outputTokens, toolCalls };
}

const jambaFinish = (gen: Generated) => (gen.reason === 'length' ? 'length' : 'stop');
const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

export const ai21Jamba: FamilyModule = {
  family: 'ai21-jamba',
  invoke(body, ctx) {
    const { id, gens, inputTokens, outputTokens, toolCalls } = answerJamba(body, ctx);
    const choices = gens.map((g, index) =>
      index === 0 && toolCalls
        ? { index, message: { role: 'assistant', content: g.text, tool_calls: toolCalls }, finish_reason: 'tool_calls' }
        : { index, message: { role: 'assistant', content: g.text, tool_calls: null }, finish_reason: jambaFinish(g) },
    );
    return { body: { id, choices, usage: usage(inputTokens, outputTokens) }, inputTokens, outputTokens, stopReason: choices[0].finish_reason };
  },
  // OpenAI-style deltas for the first choice; the last chunk carries the finish reason and the usage.
  stream(body, ctx) {
    const { id, gens, inputTokens, toolCalls } = answerJamba(body, ctx);
    const g = gens[0];
    const outputTokens = g.tokens + (toolCalls ? countTokens(toolCalls[0].function.arguments) : 0);
    const events: Record<string, unknown>[] = chunks(g.text).map((content, i) => ({ id, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] }));
    if (toolCalls) events.push({ id, choices: [{ index: 0, delta: { tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }, finish_reason: null }] });
    events.push({ id, choices: [{ index: 0, delta: {}, finish_reason: toolCalls ? 'tool_calls' : jambaFinish(g) }], usage: usage(inputTokens, outputTokens) });
    return { events, inputTokens, outputTokens };
  },
};
