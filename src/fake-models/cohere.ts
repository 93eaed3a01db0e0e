// Cohere: Command and Command Light (generate), Command R/R+ (chat), Embed English/Multilingual v3.
import { AwsError } from '../emulator/errors.js';
import { any, arr, bool, check, int, num, obj, str } from './schema.js';
import { chunks, generate, hexId, seeded, vector } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const uuid = (rand: () => number) => `${hexId(rand, 8)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 12)}`;

const COMMAND_SCHEMA = obj(
  {
    prompt: str({ minLength: 1 }), temperature: num(0, 5), p: num(0, 1), k: int(0, 500), max_tokens: int(1, 4096),
    stop_sequences: arr(str(), 0, 4), return_likelihoods: str({ enum: ['GENERATION', 'ALL', 'NONE'] }), stream: bool,
    num_generations: int(1, 5), logit_bias: any, truncate: str({ enum: ['NONE', 'START', 'END'] }),
  },
  ['prompt'],
);

function answerCommand(body: unknown, ctx: InvokeContext) {
  const b = check<{ prompt: string; max_tokens?: number; stop_sequences?: string[]; num_generations?: number }>(COMMAND_SCHEMA, body);
  const rand = seeded(ctx.modelId, body);
  const generations = Array.from({ length: b.num_generations ?? 1 }, (_, index) => {
    const gen = generate(rand, b.max_tokens ?? 20, b.stop_sequences);
    return { gen, finish_reason: gen.reason === 'length' ? 'MAX_TOKENS' : 'COMPLETE', id: uuid(rand), index };
  });
  return { b, rand, generations, inputTokens: countTokens(b.prompt) };
}

export const cohereCommand: FamilyModule = {
  family: 'cohere-command',
  invoke(body, ctx) {
    const { b, rand, generations, inputTokens } = answerCommand(body, ctx);
    return {
      body: { generations: generations.map((g) => ({ finish_reason: g.finish_reason, id: g.id, text: g.gen.text, index: g.index })), id: uuid(rand), prompt: b.prompt },
      inputTokens,
      outputTokens: generations.reduce((n, g) => n + g.gen.tokens, 0),
      stopReason: generations[0].finish_reason,
    };
  },
  stream(body, ctx) {
    const { generations, inputTokens } = answerCommand(body, ctx);
    const g = generations[0];
    const parts = chunks(g.gen.text);
    const events: Record<string, unknown>[] = parts.map((text) => ({ text, is_finished: false, index: 0 }));
    events.push({ is_finished: true, finish_reason: g.finish_reason, response: { id: g.id, generations: [{ id: g.id, text: g.gen.text, finish_reason: g.finish_reason, index: 0 }] } });
    return { events, inputTokens, outputTokens: g.gen.tokens };
  },
};

const CHAT_SCHEMA = obj(
  {
    message: str({ minLength: 1 }), chat_history: arr(obj({ role: str({ enum: ['USER', 'CHATBOT', 'SYSTEM', 'TOOL'] }), message: str(), tool_calls: any, tool_results: any }, ['role'])),
    documents: arr(any), search_queries_only: bool, preamble: str(), max_tokens: int(1, 4000), temperature: num(0, 1), p: num(0.01, 0.99),
    k: int(0, 500), prompt_truncation: str({ enum: ['OFF', 'AUTO_PRESERVE_ORDER'] }), frequency_penalty: num(0, 1), presence_penalty: num(0, 1),
    seed: int(), return_prompt: bool, tools: arr(any), tool_results: arr(any), stop_sequences: arr(str(), 0, 4), raw_prompting: bool,
  },
  ['message'],
);

function answerChat(body: unknown, ctx: InvokeContext) {
  const b = check<{ message: string; preamble?: string; chat_history?: { role: string; message?: string }[]; max_tokens?: number; stop_sequences?: string[] }>(CHAT_SCHEMA, body);
  const rand = seeded(ctx.modelId, body);
  const gen = generate(rand, b.max_tokens ?? 512, b.stop_sequences);
  const inputTokens = countTokens(b.message) + countTokens(b.preamble ?? '') + (b.chat_history ?? []).reduce((n, h) => n + countTokens(h.message ?? ''), 0);
  return { b, rand, gen, finish_reason: gen.reason === 'length' ? 'MAX_TOKENS' : 'COMPLETE', inputTokens };
}

export const cohereCommandR: FamilyModule = {
  family: 'cohere-command-r',
  invoke(body, ctx) {
    const { b, rand, gen, finish_reason, inputTokens } = answerChat(body, ctx);
    const chat_history = [...(b.chat_history ?? []), { role: 'USER', message: b.message }, { role: 'CHATBOT', message: gen.text }];
    return { body: { response_id: uuid(rand), text: gen.text, generation_id: uuid(rand), chat_history, finish_reason }, inputTokens, outputTokens: gen.tokens, stopReason: finish_reason };
  },
  stream(body, ctx) {
    const { rand, gen, finish_reason, inputTokens } = answerChat(body, ctx);
    const generation_id = uuid(rand);
    const events: Record<string, unknown>[] = [{ is_finished: false, event_type: 'stream-start', generation_id }];
    for (const text of chunks(gen.text)) events.push({ is_finished: false, event_type: 'text-generation', text });
    events.push({ is_finished: true, event_type: 'stream-end', finish_reason, response: { response_id: uuid(rand), text: gen.text, generation_id, finish_reason } });
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};

const EMBED_SCHEMA = obj(
  {
    texts: arr(str({ maxLength: 2048 }), 0, 96), images: arr(str(), 0, 1),
    input_type: str({ enum: ['search_document', 'search_query', 'classification', 'clustering', 'image'] }),
    truncate: str({ enum: ['NONE', 'START', 'END'] }), embedding_types: arr(str({ enum: ['float', 'int8', 'uint8', 'binary', 'ubinary'] }), 1),
  },
  ['input_type'],
);

export const cohereEmbed: FamilyModule = {
  family: 'cohere-embed',
  invoke(body, ctx) {
    const b = check<{ texts?: string[]; images?: string[]; embedding_types?: string[] }>(EMBED_SCHEMA, body);
    if (!b.texts && !b.images) throw new AwsError('ValidationException', 'Malformed input request: #: required key [texts] not found, please reformat your input and try again.');
    const inputs = b.texts ?? b.images!;
    const floats = inputs.map((t) => vector(seeded(ctx.modelId, t), 1024, true));
    const rand = seeded(ctx.modelId, body);
    const inputTokens = (b.texts ?? []).reduce((n, t) => n + countTokens(t), 0);
    const id = uuid(rand);
    if (!b.embedding_types) return { body: { embeddings: floats, id, response_type: 'embeddings_floats', texts: b.texts ?? [] }, inputTokens, outputTokens: 0 };
    const quantize = (type: string) => floats.map((v) => (type === 'float' ? v : v.map((x) => (type === 'int8' ? Math.round(x * 127) : type === 'uint8' ? Math.round((x + 1) * 127.5) : x > 0 ? 1 : 0))));
    const embeddings = Object.fromEntries(b.embedding_types.map((t) => [t, quantize(t)]));
    return { body: { embeddings, id, response_type: 'embeddings_by_type', texts: b.texts ?? [] }, inputTokens, outputTokens: 0 };
  },
};
