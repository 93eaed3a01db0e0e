// Cohere: Command and Command Light (generate), Command R/R+ (chat), Embed English/Multilingual v3.
import { any, arr, bool, checkBody, int, malformed, num, obj, str, type Schema } from './schema.js';
import { dataForSchema } from './schema-data.js';
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
  const b = checkBody<CommandBody>(COMMAND, body);
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
  tools?: CohereTool[];
  tool_results?: unknown[];
  preamble?: string;
  chat_history?: { role: string; message?: string }[];
  max_tokens?: number;
  stop_sequences?: string[];
  search_queries_only?: boolean;
  return_prompt?: boolean;
}

interface CohereTool {
  name: string;
  parameter_definitions?: Record<string, { type?: string; required?: boolean; description?: string }>;
}

// Cohere's parameter types are Python type names; the JSON Schema types they stand for, so a call's parameters
// can be generated to fit (`List[str]` and the like are arrays).
const JSON_TYPES: Record<string, string> = { str: 'string', int: 'integer', float: 'number', bool: 'boolean', dict: 'object', list: 'array' };
const jsonSchemaOf = (defs: CohereTool['parameter_definitions'] = {}) => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(defs).map(([name, d]) => [name, { type: JSON_TYPES[(d.type ?? 'str').toLowerCase().replace(/\[.*$/, '')] ?? 'string' }])),
  required: Object.entries(defs).filter(([, d]) => d.required).map(([name]) => name),
});

function answerChat(body: unknown, ctx: InvokeContext) {
  const b = checkBody<ChatBody>(COMMAND_R, body);
  const rand = seeded(ctx.modelId, body);
  // With tools and no results to read yet, Command R answers the calls it would make (model-parameters-cohere-command-r-plus).
  const tool_calls = b.tools?.length && !b.tool_results?.length ? [b.tools[Math.floor(rand() * b.tools.length)]].map((t) => ({ name: t.name, parameters: dataForSchema(jsonSchemaOf(t.parameter_definitions), rand) })) : undefined;
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
    ...(tool_calls ? { tool_calls } : {}),
    ...(b.search_queries_only ? { is_search_required: true, search_queries: [{ text: b.message, generation_id }] } : {}),
    ...(b.return_prompt ? { prompt } : {}),
    meta: { api_version: { version: '1' }, billed_units: { input_tokens: inputTokens, output_tokens: gen.tokens } },
  };
  return { response, inputTokens, outputTokens: gen.tokens + (tool_calls ? countTokens(JSON.stringify(tool_calls)) : 0) };
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
    if (response.tool_calls) events.push({ is_finished: false, event_type: 'tool-calls-generation', tool_calls: response.tool_calls });
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
  const b = checkBody<EmbedBody>(EMBED, body);
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
    // An image input's answer describes each image it read (Cohere's embed response `images`).
    const images = b.images ? { images: b.images.map(imageInfo) } : {};
    if (!b.embedding_types) return { body: { embeddings: floats, id, response_type: 'embeddings_floats', texts, ...images }, inputTokens, outputTokens: 0 };
    const embeddings = Object.fromEntries(b.embedding_types.map((type) => [type, floats.map((v) => quantize(v, type))]));
    return { body: { embeddings, id, response_type: 'embeddings_by_type', texts, ...images }, inputTokens, outputTokens: 0 };
  },
};

/** An image's {width, height, format, bit_depth}, read from its PNG header or JPEG frame header (0 × 0 when unreadable). */
export function imageInfo(dataUri: string) {
  const format = /^data:image\/(\w+);/.exec(dataUri)?.[1] ?? 'unknown';
  const bytes = Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1, dataUri.indexOf(',') + 1 + 64 * 1024), 'base64');
  if (bytes.length >= 26 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    const channels = [1, 0, 3, 1, 2, 0, 4][bytes[25]] ?? 3;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), format, bit_depth: bytes[24] * channels };
  }
  // JPEG: walk the segments to the first start-of-frame marker (C0–CF, except C4, C8, CC).
  for (let i = 2; bytes[0] === 0xff && bytes[1] === 0xd8 && i + 9 < bytes.length; i += 2 + bytes.readUInt16BE(i + 2)) {
    const marker = bytes[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { width: bytes.readUInt16BE(i + 7), height: bytes.readUInt16BE(i + 5), format, bit_depth: bytes[i + 4] * bytes[i + 9] };
    }
  }
  return { width: 0, height: 0, format, bit_depth: 0 };
}

// ---- Embed v4 ----

const V4_DATA_URI = /^data:image\/(jpeg|png|webp|gif);base64,/;
const imageUrl: Schema = { anyOf: [str(), obj({ url: str() }, ['url'])] };
const EMBED_V4 = obj(
  {
    input_type: str({ enum: ['search_document', 'search_query', 'classification', 'clustering'] }),
    texts: arr(str(), 1, 96), images: arr(str(), 1, 96),
    inputs: arr(obj({ content: arr(obj({ type: str({ enum: ['text', 'image_url'] }), text: str(), image_url: imageUrl }, ['type']), 1) }, ['content']), 1, 96),
    embedding_types: arr(str({ enum: EMBEDDING_TYPES }), 1), output_dimension: { type: 'integer', enum: [256, 512, 1024, 1536] },
    max_tokens: int(1, 128_000), truncate: str({ enum: ['NONE', 'LEFT', 'RIGHT'] }),
  },
  ['input_type'],
);

interface V4Part {
  type: string;
  text?: string;
  image_url?: string | { url: string };
}
interface EmbedV4Body {
  input_type: string;
  texts?: string[];
  images?: string[];
  inputs?: { content: V4Part[] }[];
  embedding_types?: string[];
  output_dimension?: number;
}

// The page's request shows an image_url part as the data URI itself; its markdown (and Cohere's own API) as
// {url: data URI}. Both are taken (FORMAT-NOTES.md).
const urlOf = (p: V4Part) => (typeof p.image_url === 'string' ? p.image_url : p.image_url?.url);

function checkEmbedV4(body: unknown): EmbedV4Body {
  const b = checkBody<EmbedV4Body>(EMBED_V4, body);
  const given = (['texts', 'images', 'inputs'] as const).filter((k) => b[k] !== undefined);
  if (!given.length) throw malformed('#: required key [texts] not found');
  if (given.length > 1) throw malformed(`#: ${given.length} subschemas matched instead of one`);
  const uris = [...(b.images ?? []), ...(b.inputs ?? []).flatMap((i) => i.content.filter((p) => p.type === 'image_url').map((p) => urlOf(p) ?? ''))];
  const bad = uris.find((uri) => !V4_DATA_URI.test(uri));
  if (bad !== undefined) throw malformed(`#/images/0: string [${bad.slice(0, 64)}] does not match pattern ${V4_DATA_URI.source}`);
  b.inputs?.forEach((input, i) =>
    input.content.forEach((p, j) => {
      if (p.type === 'text' && typeof p.text !== 'string') throw malformed(`#/inputs/${i}/content/${j}: required key [text] not found`);
      if (p.type === 'image_url' && p.image_url === undefined) throw malformed(`#/inputs/${i}/content/${j}: required key [image_url] not found`);
    }),
  );
  return b;
}

export const cohereEmbedV4: FamilyModule = {
  family: 'cohere-embed-v4',
  invoke(body, ctx) {
    const b = checkEmbedV4(body);
    const dims = b.output_dimension ?? 1536;
    const items = b.texts ?? b.images ?? b.inputs!.map((i) => JSON.stringify(i));
    const floats = items.map((input) => vector(seeded(ctx.modelId, b.input_type, dims, input), dims, true));
    const embeddings = Object.fromEntries((b.embedding_types ?? ['float']).map((type) => [type, floats.map((v) => quantize(v, type))]));
    const texts = b.texts ?? b.inputs?.flatMap((i) => i.content.flatMap((p) => (p.type === 'text' ? [p.text!] : []))) ?? [];
    const images = b.images ?? b.inputs?.flatMap((i) => i.content.flatMap((p) => (p.type === 'image_url' ? [urlOf(p)!] : [])));
    const inputTokens = texts.reduce((n, t) => n + countTokens(t), 0);
    return {
      body: { id: uuid(seeded(ctx.modelId, body)), embeddings, response_type: 'embeddings_by_type', texts, ...(images?.length ? { images: images.map(imageInfo) } : {}) },
      inputTokens,
      outputTokens: 0,
    };
  },
};
