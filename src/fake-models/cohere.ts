// Cohere: Command and Command Light (generate), Command R/R+ (chat), Embed English/Multilingual v3.
import { any, arr, bool, check, int, malformed, num, obj, str } from './schema.js';
import { chunks, generate, hexId, seeded, vector, type Random } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const uuid = (rand: Random) => `${hexId(rand, 8)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 12)}`;
const finishReason = (reason: string) => (reason === 'length' ? 'MAX_TOKENS' : 'COMPLETE');
/** Tokens as the shared approximation counts them: four characters each. */
const pieces = (text: string) => text.match(/[\s\S]{1,4}/g) ?? [];

// ---- Command ----

const COMMAND = obj(
  {
    prompt: str({ minLength: 1 }), temperature: num(0, 5), p: num(0, 1), k: num(0, 500), max_tokens: int(1, 4096),
    stop_sequences: arr(str(), 0, 4), return_likelihoods: str({ enum: ['GENERATION', 'ALL', 'NONE'] }), stream: bool,
    num_generations: int(1, 5), logit_bias: obj({}, [], true), truncate: str({ enum: ['NONE', 'START', 'END'] }),
  },
  ['prompt'],
);

interface CommandBody {
  prompt: string;
  max_tokens?: number;
  stop_sequences?: string[];
  num_generations?: number;
  return_likelihoods?: string;
}

/** Per-token log-likelihoods (fake, deterministic) and their mean, as return_likelihoods asks. */
function scores(texts: string[], rand: Random) {
  const token_likelihoods = texts.flatMap(pieces).map((token) => ({ token, likelihood: -rand() * 4 }));
  return { likelihood: token_likelihoods.reduce((sum, t) => sum + t.likelihood, 0) / (token_likelihoods.length || 1), token_likelihoods };
}

function answerCommand(body: unknown, ctx: InvokeContext) {
  const b = check<CommandBody>(COMMAND, body);
  const rand = seeded(ctx.modelId, body);
  const generations = Array.from({ length: b.num_generations ?? 1 }, () => {
    const gen = generate(rand, b.max_tokens ?? 20, b.stop_sequences);
    const scored = b.return_likelihoods === 'GENERATION' || b.return_likelihoods === 'ALL';
    const scoredTexts = b.return_likelihoods === 'ALL' ? [b.prompt, gen.text] : [gen.text];
    return { id: uuid(rand), text: gen.text, finish_reason: finishReason(gen.reason), ...(scored ? scores(scoredTexts, rand) : {}) };
  });
  const response = { generations, id: uuid(rand), prompt: b.prompt };
  return { response, inputTokens: countTokens(b.prompt), outputTokens: generations.reduce((n, g) => n + countTokens(g.text), 0) };
}

export const cohereCommand: FamilyModule = {
  family: 'cohere-command',
  invoke(body, ctx) {
    const { response, inputTokens, outputTokens } = answerCommand(body, ctx);
    return { body: response, inputTokens, outputTokens, stopReason: response.generations[0].finish_reason };
  },
  // Text deltas, then one finished event carrying the whole response; `index` only when several generations stream.
  stream(body, ctx) {
    const { response, inputTokens, outputTokens } = answerCommand(body, ctx);
    const several = response.generations.length > 1;
    const events: Record<string, unknown>[] = response.generations.flatMap((g, index) =>
      chunks(g.text).map((text) => ({ text, is_finished: false, ...(several ? { index } : {}) })),
    );
    events.push({ is_finished: true, finish_reason: response.generations[0].finish_reason, response });
    return { events, inputTokens, outputTokens };
  },
};

// ---- Command R / R+ ----

const COMMAND_R = obj(
  {
    message: str(),
    chat_history: arr(obj({ role: str({ enum: ['USER', 'CHATBOT', 'SYSTEM', 'TOOL'] }), message: str(), tool_calls: arr(any), tool_results: arr(any) }, ['role'])),
    documents: arr(obj({}, [], true)), search_queries_only: bool, preamble: str(), max_tokens: int(1, 4000), temperature: num(0, 1),
    p: num(0.01, 0.99), k: num(0, 500), prompt_truncation: str({ enum: ['OFF', 'AUTO_PRESERVE_ORDER'] }), frequency_penalty: num(0, 1),
    presence_penalty: num(0, 1), seed: int(), return_prompt: bool,
    tools: arr(obj({ name: str(), description: str(), parameter_definitions: obj({}, [], true) }, ['name', 'description'])),
    tool_results: arr(obj({ call: obj({}, [], true), outputs: arr(obj({}, [], true)) }, ['call', 'outputs'])),
    stop_sequences: arr(str()), raw_prompting: bool,
  },
  ['message'],
);

interface ChatBody {
  message: string;
  preamble?: string;
  chat_history?: { role: string; message?: string }[];
  max_tokens?: number;
  stop_sequences?: string[];
  search_queries_only?: boolean;
  return_prompt?: boolean;
}

function answerChat(body: unknown, ctx: InvokeContext) {
  const b = check<ChatBody>(COMMAND_R, body);
  const rand = seeded(ctx.modelId, body);
  const prompt = [b.preamble ?? '', ...(b.chat_history ?? []).map((h) => h.message ?? ''), b.message].filter(Boolean).join('\n');
  // search_queries_only answers the queries a search would run, and no reply.
  const gen = b.search_queries_only ? { text: '', tokens: 0, reason: 'end' } : generate(rand, b.max_tokens ?? 4000, b.stop_sequences);
  const inputTokens = countTokens(prompt);
  const [response_id, generation_id] = [uuid(rand), uuid(rand)];
  const finish_reason = finishReason(gen.reason);
  const response = {
    response_id,
    text: gen.text,
    generation_id,
    chat_history: [...(b.chat_history ?? []), { role: 'USER', message: b.message }, { role: 'CHATBOT', message: gen.text }],
    finish_reason,
    ...(b.search_queries_only ? { is_search_required: true, search_queries: [{ text: b.message, generation_id }] } : {}),
    ...(b.return_prompt ? { prompt } : {}),
    meta: { api_version: { version: '1' }, billed_units: { input_tokens: inputTokens, output_tokens: gen.tokens } },
  };
  return { response, inputTokens, outputTokens: gen.tokens };
}

export const cohereCommandR: FamilyModule = {
  family: 'cohere-command-r',
  invoke(body, ctx) {
    const { response, inputTokens, outputTokens } = answerChat(body, ctx);
    return { body: response, inputTokens, outputTokens, stopReason: response.finish_reason };
  },
  stream(body, ctx) {
    const { response, inputTokens, outputTokens } = answerChat(body, ctx);
    const events: Record<string, unknown>[] = [{ is_finished: false, event_type: 'stream-start', generation_id: response.generation_id }];
    for (const text of response.text ? chunks(response.text) : []) events.push({ is_finished: false, event_type: 'text-generation', text });
    events.push({ is_finished: true, event_type: 'stream-end', finish_reason: response.finish_reason, response });
    return { events, inputTokens, outputTokens };
  },
};

// ---- Embed v3 ----

const EMBEDDING_TYPES = ['float', 'int8', 'uint8', 'binary', 'ubinary'];
const EMBED = obj(
  {
    texts: arr(str({ maxLength: 2048 }), 0, 96), images: arr(str(), 0, 1),
    input_type: str({ enum: ['search_document', 'search_query', 'classification', 'clustering', 'image'] }),
    truncate: str({ enum: ['NONE', 'START', 'END'] }), embedding_types: arr(str({ enum: EMBEDDING_TYPES }), 1),
  },
  ['input_type'],
);
const DATA_URI = /^data:image\/(jpeg|png);base64,/;
const DIMENSIONS = 1024;

interface EmbedBody {
  texts?: string[];
  images?: string[];
  input_type: string;
  embedding_types?: string[];
}

/** Exactly one of texts and images, and images as data URIs: what Bedrock's Embed schema demands beyond the basics. */
function checkEmbed(body: unknown): EmbedBody {
  const b = check<EmbedBody>(EMBED, body);
  if (!b.texts && !b.images) throw malformed('#: required key [texts] not found');
  if (b.texts && b.images) throw malformed('#: 2 subschemas matched instead of one');
  const bad = b.images?.find((uri) => !DATA_URI.test(uri));
  if (bad !== undefined) throw malformed(`#/images/0: string [${bad.slice(0, 64)}] does not match pattern ${DATA_URI.source}`);
  return b;
}

// Quantized forms as Cohere defines them: int8/uint8 scale the vector so its largest component reaches the end of
// the range; binary/ubinary pack one sign bit per dimension into bytes (binary as signed bytes).
function quantize(v: number[], type: string): number[] {
  if (type === 'float') return v;
  const scale = 1 / Math.max(...v.map(Math.abs));
  if (type === 'int8') return v.map((x) => Math.round(x * scale * 127));
  if (type === 'uint8') return v.map((x) => Math.round(x * scale * 127.5 + 127.5));
  const bytes = Array.from({ length: v.length / 8 }, (_, i) => v.slice(i * 8, i * 8 + 8).reduce((byte, x) => (byte << 1) | (x > 0 ? 1 : 0), 0));
  return type === 'ubinary' ? bytes : bytes.map((b) => b - 128);
}

export const cohereEmbed: FamilyModule = {
  family: 'cohere-embed',
  invoke(body, ctx) {
    const b = checkEmbed(body);
    const floats = (b.texts ?? b.images!).map((input) => vector(seeded(ctx.modelId, b.input_type, input), DIMENSIONS, true));
    const id = uuid(seeded(ctx.modelId, body));
    const texts = b.texts ?? [];
    const inputTokens = texts.reduce((n, t) => n + countTokens(t), 0);
    if (!b.embedding_types) return { body: { embeddings: floats, id, response_type: 'embeddings_floats', texts }, inputTokens, outputTokens: 0 };
    const embeddings = Object.fromEntries(b.embedding_types.map((type) => [type, floats.map((v) => quantize(v, type))]));
    return { body: { embeddings, id, response_type: 'embeddings_by_type', texts }, inputTokens, outputTokens: 0 };
  },
};
