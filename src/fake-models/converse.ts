// The Converse API over the fake models: the model's features (registry/data/model-features.json) decide what a
// request may carry; the answer is deterministic, in Converse's shape, for whichever family serves the model. Tool
// inputs and structured answers are generated from the caller's JSON Schema; Claude's extended thinking, prompt
// caching and performanceConfig follow AWS's pages (see README, "Differences from AWS", for what is ours).
import type { PerformanceConfigLatency, StopReason } from '@aws-sdk/client-bedrock-runtime';
import { ModelRefusal, FeatureDenied } from './errors.js';
import { featuresOf, getModel, type ModelFeatures } from '../registry/index.js';
import type { BodyFamily } from '../registry/types.js';
import type { ScopedPromptCache, Ttl } from './prompt-cache.js';
import { dataForSchema, type Json } from './schema-data.js';
import { alnumId, chunks, generate, seeded, type Random } from './text-gen.js';
import { reason, thinkingOf, type Reasoning } from './thinking.js';
import { countTokens } from './tokens.js';

interface CachePoint {
  type?: string;
  ttl?: Ttl;
}
interface Block {
  text?: string;
  image?: unknown;
  document?: { name?: string };
  video?: unknown;
  toolUse?: unknown;
  toolResult?: unknown;
  cachePoint?: CachePoint;
  reasoningContent?: unknown;
  searchResult?: unknown;
  citationsContent?: unknown;
}
interface ToolSpec {
  name: string;
  inputSchema?: { json?: unknown };
}
export interface ConverseRequest {
  messages?: { role: string; content: Block[] }[];
  system?: { text?: string; cachePoint?: CachePoint }[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools?: { toolSpec?: ToolSpec; cachePoint?: CachePoint }[]; toolChoice?: { auto?: object; any?: object; tool?: { name: string } } };
  /** A JSON document: any JSON value, of which only an object's fields mean anything to a model. */
  additionalModelRequestFields?: unknown;
  additionalModelResponseFieldPaths?: string[];
  outputConfig?: { textFormat?: { type?: string; structure?: { jsonSchema?: { schema?: string; name?: string } } } };
  guardrailConfig?: unknown;
  performanceConfig?: { latency?: PerformanceConfigLatency };
}

/** The fields of additionalModelRequestFields, when it is an object (other JSON values carry none). */
function extraFields(req: ConverseRequest): { [field: string]: unknown } {
  const extra = req.additionalModelRequestFields;
  return typeof extra === 'object' && extra !== null ? { ...extra } : {};
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheDetails?: { ttl: Ttl; inputTokens: number }[];
}

/** The content blocks an answer holds: the members of the service model's ContentBlock the fake models write. */
export type AnswerBlock =
  | { text: string; toolUse?: never; reasoningContent?: never }
  | { toolUse: { toolUseId: string; name: string; input: Json }; text?: never; reasoningContent?: never }
  | { reasoningContent: ReasoningBlock; text?: never; toolUse?: never };
type ReasoningBlock = { reasoningText: { text: string; signature: string }; redactedContent?: never } | { redactedContent: Uint8Array; reasoningText?: never };

export interface ConverseResult {
  output: { message: { role: 'assistant'; content: AnswerBlock[] } };
  stopReason: StopReason;
  usage: Usage;
  metrics: { latencyMs: number };
  performanceConfig?: { latency: PerformanceConfigLatency };
}

/** What a Converse call needs beyond the request: the prompt cache of the caller's account and region, if any. */
export interface ConverseContext {
  promptCache?: ScopedPromptCache;
  stream?: boolean;
  /**
   * The request came through the model's own API (OpenAI Chat Completions / Responses, Anthropic Messages) mapped
   * to Converse: the Converse table's tool-choice forms and streaming tool use are Converse's limits, not the model's.
   */
  nativeApi?: boolean;
}

const bad = (message: string) => new ModelRefusal(message);
/** Bedrock passes the model provider's own refusal on, prefixed. */
const modelRefused = (message: string) => bad(`The model returned the following errors: ${message}`);

const MAX_IMAGES = 20;
const MAX_DOCUMENTS = 5;
/** DocumentBlock.name: alphanumerics, hyphens, parentheses, square brackets, and single whitespace characters. */
const DOCUMENT_NAME = /^(?:[A-Za-z0-9()[\]-]|\s(?!\s))+$/;

function checkConverseRequest(family: BodyFamily, modelId: string, req: ConverseRequest, stream: boolean, nativeApi: boolean): ModelFeatures {
  const f = featuresOf(getModel(modelId) ?? { id: modelId, family });
  if (!f?.converse || (stream && !f.converseStream)) throw bad("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  const messages = req.messages ?? [];
  if (!messages.length || messages[0].role !== 'user') throw bad('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw bad('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
  }
  if (req.system?.some((s) => s.text !== undefined) && !f.system) throw bad("This model doesn't support system messages. Try again without system messages, or use a model that supports them.");
  let tool = false;
  let images = 0;
  let documents = 0;
  let video = false;
  let cited = false;
  for (const m of messages) {
    const content = m.content ?? [];
    let text = false;
    let document = false;
    for (const b of content) {
      if (b.toolUse || b.toolResult) tool = true;
      if (b.text !== undefined) text = true;
      if (b.searchResult || b.citationsContent) cited = true;
      if (b.image || b.document) {
        if (m.role !== 'user') throw bad('Images and documents are only allowed in user messages. Move them to a user message and try again.');
        if (b.image) images++;
        if (b.document) {
          documents++;
          document = true;
          const name = b.document.name ?? '';
          if (!DOCUMENT_NAME.test(name)) {
            throw bad('The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can\'t contain more than one consecutive whitespace character.');
          }
        }
      }
      if (b.video) video = true;
    }
    if (document && !text) throw bad('A document content block must be accompanied by a text content block in the same message. Add a text block and try again.');
  }
  const choice = req.toolConfig?.toolChoice;
  if ((req.toolConfig || tool) && !f.tools) throw bad("This model doesn't support tool use.");
  if (stream && req.toolConfig && !f.streamingTools && !nativeApi) throw bad("This model doesn't support tool use in streaming mode.");
  if (images && !f.images) throw bad("This model doesn't support the image content block that you provided. Try again with a model that supports image input.");
  if (images > MAX_IMAGES) throw bad(`Too many images in the request: ${images}. A request can include up to ${MAX_IMAGES} images.`);
  if (documents && !f.documents) throw bad("This model doesn't support documents.");
  if (documents > MAX_DOCUMENTS) throw bad(`Too many documents in the request: ${documents}. A request can include up to ${MAX_DOCUMENTS} documents.`);
  if (video && !f.video) throw bad("This model doesn't support the video content block that you provided.");
  if (cited && !f.citations) throw bad("This model doesn't support the searchResult or citationsContent content block that you provided.");
  if (req.toolConfig && !req.toolConfig.tools?.some((t) => t.toolSpec)) throw bad('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  for (const form of ['any', 'tool'] as const) {
    if (choice?.[form] && !f.toolChoice.includes(form) && !nativeApi) throw bad(`This model doesn't support the toolConfig.toolChoice.${form} field. Remove toolConfig.toolChoice.${form} and try again.`);
  }
  if (choice?.tool && !req.toolConfig!.tools!.some((t) => t.toolSpec?.name === choice.tool!.name)) {
    throw bad(`The tool ${choice.tool.name} that toolConfig.toolChoice.tool names isn't in toolConfig.tools.`);
  }
  const maxTokens = req.inferenceConfig?.maxTokens;
  const betas = extraFields(req).anthropic_beta;
  let limit = f.maxTokens;
  if (Array.isArray(betas)) for (const beta of betas) limit = Math.max(limit, f.maxTokensWithBeta?.[beta] ?? 0);
  if (maxTokens !== undefined && maxTokens > limit) {
    throw bad(`The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`);
  }
  if (req.outputConfig?.textFormat && !f.structuredOutput) throw bad("This model doesn't support structured output. Try again without outputConfig.textFormat, or use a model that supports it.");
  for (const path of req.additionalModelResponseFieldPaths ?? []) {
    if (!path.startsWith('/')) throw bad(`The additionalModelResponseFieldPaths entry ${path} isn't a valid JSON Pointer. Each path must start with "/".`);
  }
  if (req.guardrailConfig) throw bad('The guardrail identifier or version provided in the request does not exist.');
  return f;
}

/** The final assistant turn that must open with thinking (a prefill, or the turn the trailing tool results answer). */
function finalAssistant(messages: NonNullable<ConverseRequest['messages']>) {
  const n = messages.length;
  const answersTools = messages[n - 1].content?.some((b) => b.toolResult);
  const index = messages[n - 1].role === 'assistant' ? n - 1 : answersTools && n >= 2 ? n - 2 : -1;
  if (index < 0) return undefined;
  const first = messages[index].content?.[0] ?? {};
  const firstType = first.reasoningContent ? 'thinking' : first.toolUse ? 'tool_use' : 'text';
  return { index, firstType };
}

/** The request's parts in prompt order (tools, system, messages), each with its tokens, and where cachePoints sit. */
function promptParts(req: ConverseRequest) {
  const parts: { tokens: number; key: unknown; cachePoint?: CachePoint }[] = [];
  for (const t of req.toolConfig?.tools ?? []) parts.push(t.cachePoint ? { tokens: 0, key: null, cachePoint: t.cachePoint } : { tokens: countTokens(JSON.stringify(t.toolSpec ?? {})), key: t });
  for (const s of req.system ?? []) parts.push(s.cachePoint ? { tokens: 0, key: null, cachePoint: s.cachePoint } : { tokens: countTokens(s.text ?? ''), key: s });
  for (const m of req.messages ?? []) {
    for (const b of m.content ?? []) {
      if (b.cachePoint) parts.push({ tokens: 0, key: null, cachePoint: b.cachePoint });
      else parts.push({ tokens: countTokens(b.text ?? (b.toolResult ? JSON.stringify(b.toolResult) : '')), key: [m.role, b] });
    }
  }
  return parts;
}

interface CacheUse {
  read: number;
  write: number;
  details: { ttl: Ttl; inputTokens: number }[];
}

/**
 * Prompt caching: each cachePoint whose prefix reaches the model's minimum is a checkpoint; the longest cached
 * checkpoint is read, the tokens from it to the last checkpoint are written. Checkpoints below the minimum are
 * ignored (AWS: "inference still succeeds but the prefix isn't cached").
 */
function useCache(modelId: string, f: ModelFeatures, parts: ReturnType<typeof promptParts>, cache: ScopedPromptCache | undefined): CacheUse | undefined {
  const points = parts.filter((p) => p.cachePoint);
  if (!points.length) return undefined;
  if (!f.cache) throw new FeatureDenied('You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.');
  if (points.length > f.cache.maxCheckpoints) throw bad(`The request has ${points.length} cache points; this model allows at most ${f.cache.maxCheckpoints}.`);
  for (const p of points) {
    if (p.cachePoint!.ttl && !f.cache.ttls.includes(p.cachePoint!.ttl)) throw bad(`This model doesn't support the cache TTL ${p.cachePoint!.ttl}. Supported: ${f.cache.ttls.join(', ')}.`);
  }
  const checkpoints: { tokens: number; prefix: string; ttl: Ttl }[] = [];
  let tokens = 0;
  const keys: unknown[] = [modelId];
  for (const p of parts) {
    if (!p.cachePoint) {
      tokens += p.tokens;
      keys.push(p.key);
    } else if (tokens >= f.cache.minTokens) checkpoints.push({ tokens, prefix: JSON.stringify(keys), ttl: p.cachePoint.ttl ?? '5m' });
  }
  const use: CacheUse = { read: 0, write: 0, details: [] };
  if (!cache || !checkpoints.length) return use;
  let hit = -1;
  for (let i = checkpoints.length - 1; i >= 0 && hit < 0; i--) if (cache.hit(checkpoints[i].prefix)) hit = i;
  use.read = hit >= 0 ? checkpoints[hit].tokens : 0;
  let from = use.read;
  for (let i = hit + 1; i < checkpoints.length; i++) {
    const c = checkpoints[i];
    cache.write(c.prefix, c.ttl);
    const written = c.tokens - from;
    from = c.tokens;
    use.write += written;
    const same = use.details.find((d) => d.ttl === c.ttl);
    if (same) same.inputTokens += written;
    else use.details.push({ ttl: c.ttl, inputTokens: written });
  }
  use.details.sort((a, b) => (a.ttl === b.ttl ? 0 : a.ttl === '1h' ? -1 : 1)); // the service model: 1h before 5m
  return use;
}

const MAX_TOKENS_DEFAULT = 512;

function toolUseBlock(rand: Random, tool: ToolSpec) {
  return { toolUse: { toolUseId: `tooluse_${alnumId(rand, 22)}`, name: tool.name, input: dataForSchema(tool.inputSchema?.json, rand) } };
}

function reasoningBlock(r: Reasoning): AnswerBlock {
  // redactedContent is a blob: the bytes whose base64 Anthropic's redacted_thinking.data carries.
  return { reasoningContent: r.redacted !== undefined ? { redactedContent: Buffer.from(r.redacted, 'base64') } : { reasoningText: { text: r.text, signature: r.signature } } };
}

/** The JSON Schema of `outputConfig.textFormat`, parsed (the service model carries it as a string). */
function structuredSchema(req: ConverseRequest): unknown {
  const format = req.outputConfig?.textFormat;
  if (!format) return undefined;
  const schema = format.structure?.jsonSchema?.schema;
  try {
    return JSON.parse(schema ?? '');
  } catch {
    throw bad('The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON.');
  }
}

function answer(family: BodyFamily, modelId: string, req: ConverseRequest, ctx: ConverseContext) {
  const f = checkConverseRequest(family, modelId, req, ctx.stream ?? false, ctx.nativeApi ?? false);
  const messages = req.messages!;
  const choice = req.toolConfig?.toolChoice;
  const forced = !!(choice?.any || choice?.tool);
  const extra = extraFields(req);
  const maxTokens = req.inferenceConfig?.maxTokens;
  // additionalModelRequestFields reach the model's native body: only Claude's Messages body knows `thinking`.
  const thinking =
    family === 'anthropic-messages'
      ? thinkingOf(f, {
          thinking: extra.thinking,
          maxTokens,
          temperature: req.inferenceConfig?.temperature,
          topP: req.inferenceConfig?.topP,
          topK: typeof extra.top_k === 'number' ? extra.top_k : undefined,
          forcedTool: forced,
          finalAssistant: finalAssistant(messages),
        }, modelRefused)
      : undefined;
  const schema = structuredSchema(req);
  const parts = promptParts(req);
  const cacheUse = useCache(modelId, f, parts, ctx.promptCache);
  // From what shapes the answer, so a batch record and a runtime call (whose input also holds modelId) agree.
  const rand = seeded(modelId, 'converse', req.messages, req.system, req.inferenceConfig, req.toolConfig, req.additionalModelRequestFields, req.outputConfig);
  let promptTokens = 0;
  for (const p of parts) promptTokens += p.tokens;
  promptTokens ||= 1;
  const limit = maxTokens ?? MAX_TOKENS_DEFAULT;
  const content: AnswerBlock[] = [];
  let outputTokens = 0;
  if (thinking) {
    const promptText = converseText(req);
    const r = reason(rand, Math.max(1, Math.min(thinking.budget, limit - 1)), promptText);
    content.push(reasoningBlock(r));
    outputTokens += r.tokens;
  }
  const tools = req.toolConfig?.tools?.flatMap((t) => (t.toolSpec ? [t.toolSpec] : [])) ?? [];
  let stopReason: StopReason;
  if (forced) {
    // The service model's ToolChoice: with `any` or `tool` "no text is generated", only the tool call.
    const tool = choice!.tool ? tools.find((t) => t.name === choice!.tool!.name)! : tools[Math.floor(rand() * tools.length)];
    const block = toolUseBlock(rand, tool);
    content.push(block);
    outputTokens += countTokens(JSON.stringify(block.toolUse.input));
    stopReason = 'tool_use';
  } else if (schema !== undefined) {
    const text = JSON.stringify(dataForSchema(schema, rand));
    content.push({ text });
    outputTokens += countTokens(text);
    stopReason = 'end_turn';
  } else {
    const gen = generate(rand, Math.max(0, limit - outputTokens), req.inferenceConfig?.stopSequences);
    content.push({ text: gen.text });
    outputTokens += gen.tokens;
    stopReason = gen.reason === 'length' ? 'max_tokens' : gen.reason === 'stop' ? 'stop_sequence' : 'end_turn';
    if (tools.length && gen.reason === 'end' && !messages.at(-1)!.content.some((b) => b.toolResult)) {
      content.push(toolUseBlock(rand, tools[Math.floor(rand() * tools.length)]));
      stopReason = 'tool_use';
    }
  }
  const cached = cacheUse ? cacheUse.read + cacheUse.write : 0;
  const inputTokens = Math.max(1, promptTokens - cached);
  const usage: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens + cached };
  if (cacheUse) {
    usage.cacheReadInputTokens = cacheUse.read;
    usage.cacheWriteInputTokens = cacheUse.write;
    if (cacheUse.details.length) usage.cacheDetails = cacheUse.details;
  }
  const latency = req.performanceConfig?.latency;
  return { content, stopReason, usage, performanceConfig: latency ? { latency } : undefined };
}

export function familyConverse(family: BodyFamily, modelId: string, req: ConverseRequest, ctx: ConverseContext = {}): ConverseResult {
  const a = answer(family, modelId, req, { ...ctx, stream: false });
  const result: ConverseResult = { output: { message: { role: 'assistant', content: a.content } }, stopReason: a.stopReason, usage: a.usage, metrics: { latencyMs: 0 } };
  if (a.performanceConfig) result.performanceConfig = a.performanceConfig;
  return result;
}

/** One ConverseStream event, `{ <eventName>: members }` (one member set), as in the service model's ConverseStreamOutput. */
export interface StreamEvent {
  messageStart?: { role: 'assistant' };
  contentBlockStart?: { contentBlockIndex: number; start: { toolUse: { toolUseId: string; name: string } } };
  contentBlockDelta?: { contentBlockIndex: number; delta: StreamDelta };
  contentBlockStop?: { contentBlockIndex: number };
  messageStop?: { stopReason: StopReason };
  metadata?: { usage: Usage; metrics: { latencyMs: number }; performanceConfig?: { latency: PerformanceConfigLatency } };
}
/** A content block delta; its JSON carries a blob (redactedContent) as base64. */
interface StreamDelta {
  text?: string;
  toolUse?: { input: string };
  reasoningContent?: { text?: string; signature?: string; redactedContent?: string };
}

/** ConverseStream events, each `{ <eventName>: members }` as in the service model's ConverseStreamOutput union. */
export function familyConverseStream(family: BodyFamily, modelId: string, req: ConverseRequest, ctx: ConverseContext = {}): { events: StreamEvent[]; inputTokens: number; outputTokens: number } {
  const a = answer(family, modelId, req, { ...ctx, stream: true });
  const events: StreamEvent[] = [{ messageStart: { role: 'assistant' } }];
  a.content.forEach((block, contentBlockIndex) => {
    const delta = (d: StreamDelta) => events.push({ contentBlockDelta: { contentBlockIndex, delta: d } });
    if (block.text !== undefined) {
      for (const text of chunks(block.text)) delta({ text });
    } else if (block.reasoningContent) {
      const r = block.reasoningContent;
      if (r.redactedContent) delta({ reasoningContent: { redactedContent: Buffer.from(r.redactedContent).toString('base64') } });
      else {
        for (const text of chunks(r.reasoningText.text)) delta({ reasoningContent: { text } });
        delta({ reasoningContent: { signature: r.reasoningText.signature } });
      }
    } else {
      const t = block.toolUse;
      events.push({ contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId: t.toolUseId, name: t.name } } } });
      delta({ toolUse: { input: JSON.stringify(t.input) } });
    }
    events.push({ contentBlockStop: { contentBlockIndex } });
  });
  events.push({ messageStop: { stopReason: a.stopReason } });
  const metadata: StreamEvent['metadata'] = { usage: a.usage, metrics: { latencyMs: 0 } };
  if (a.performanceConfig) metadata.performanceConfig = a.performanceConfig;
  events.push({ metadata });
  return { events, inputTokens: a.usage.inputTokens, outputTokens: a.usage.outputTokens };
}

/** All text of a Converse request, for scripted-response matching and token counting. */
export const converseText = (req: ConverseRequest) =>
  [...(req.system ?? []).map((s) => s.text ?? ''), ...(req.messages ?? []).flatMap((m) => (m.content ?? []).map((b) => b.text ?? ''))].join('\n');
