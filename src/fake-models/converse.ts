// The Converse API over the fake models: Bedrock's per-model feature rules (Converse support, system prompts, tool
// use, images, documents), then one deterministic answer in Converse's shape for whichever family serves the model.
import { AwsError } from '../emulator/errors.js';
import type { BodyFamily } from '../registry/types.js';
import { maxOutput } from './anthropic.js';
import { alnumId, chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';

interface Block {
  text?: string;
  image?: unknown;
  document?: unknown;
  video?: unknown;
  toolUse?: unknown;
  toolResult?: unknown;
}
export interface ConverseRequest {
  messages?: { role: string; content: Block[] }[];
  system?: { text?: string }[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools?: { toolSpec?: { name: string } }[]; toolChoice?: unknown };
}

export interface ConverseResult {
  output: { message: { role: 'assistant'; content: Record<string, unknown>[] } };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  metrics: { latencyMs: number };
}

interface Features {
  system: boolean;
  tools: boolean;
  images: boolean;
  documents: boolean;
}

/** Bedrock's "supported models and model features" for Converse, per family, with per-model exceptions. */
const FEATURES: Partial<Record<BodyFamily, Features>> = {
  'anthropic-messages': { system: true, tools: true, images: true, documents: true },
  'anthropic-text': { system: true, tools: false, images: false, documents: true },
  'titan-text': { system: false, tools: false, images: false, documents: true },
  nova: { system: true, tools: true, images: true, documents: true },
  llama: { system: true, tools: false, images: false, documents: true },
  'mistral-prompt': { system: false, tools: false, images: false, documents: true },
  'mistral-chat': { system: true, tools: true, images: false, documents: true },
  'cohere-command': { system: false, tools: false, images: false, documents: true },
  'cohere-command-r': { system: true, tools: true, images: false, documents: true },
  'ai21-j2': { system: false, tools: false, images: false, documents: false },
  'ai21-jamba': { system: true, tools: true, images: false, documents: true },
  'openai-chat': { system: true, tools: true, images: false, documents: false },
  'deepseek-r1': { system: true, tools: false, images: false, documents: false },
};

function featuresOf(family: BodyFamily, modelId: string): Features | undefined {
  const base = FEATURES[family];
  if (!base) return undefined;
  if (family === 'llama') return { ...base, tools: /llama3-[123]/.test(modelId) && !/llama3-(8b|70b)/.test(modelId), images: /llama3-2-(11b|90b)/.test(modelId) };
  if (family === 'anthropic-messages' && /claude-3-5-haiku/.test(modelId)) return { ...base, images: false };
  if (family === 'nova' && /nova-micro/.test(modelId)) return { ...base, images: false };
  if (family === 'mistral-prompt' && /mistral-(large|small)-2402/.test(modelId)) return { ...base, system: true, tools: true };
  return base;
}

/**
 * featuresOf, worked out once per family and model (the model ids a caller can name are a fixed set). Maps by
 * family, then id: a joined key would be a new string to hash on every call.
 */
const knownFeatures = new Map<BodyFamily, Map<string, Features | undefined>>();
function featuresFor(family: BodyFamily, modelId: string): Features | undefined {
  let byId = knownFeatures.get(family);
  if (!byId) knownFeatures.set(family, (byId = new Map()));
  if (!byId.has(modelId)) byId.set(modelId, featuresOf(family, modelId));
  return byId.get(modelId);
}

const bad = (message: string) => new AwsError('ValidationException', message);

function check(family: BodyFamily, modelId: string, req: ConverseRequest): Features {
  const f = featuresFor(family, modelId);
  if (!f) throw bad("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
  const messages = req.messages ?? [];
  if (!messages.length) throw bad('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  if (messages[0].role !== 'user') throw bad('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role) {
      throw bad('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
  }
  if (req.system?.length && !f.system) throw bad("This model doesn't support system messages. Try again without system messages, or use a model that supports them.");
  // One pass over every message's blocks for what the checks below ask of them (in their order).
  let tool = false;
  let image = false;
  let document = false;
  let video = false;
  for (const m of messages) {
    const content = m.content ?? [];
    for (let i = 0; i < content.length; i++) {
      const b = content[i];
      if (b.toolUse || b.toolResult) tool = true;
      if (b.image) image = true;
      if (b.document) document = true;
      if (b.video) video = true;
    }
  }
  if ((req.toolConfig || tool) && !f.tools) throw bad("This model doesn't support tool use.");
  if (image && !f.images) throw bad("This model doesn't support the image content block that you provided. Try again with a model that supports image input.");
  if (document && !f.documents) throw bad("This model doesn't support documents.");
  if (video && family !== 'nova') throw bad("This model doesn't support the video content block that you provided.");
  if (req.toolConfig && !req.toolConfig.tools?.length) throw bad('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  const limit = family === 'anthropic-messages' ? maxOutput(modelId) : undefined;
  const maxTokens = req.inferenceConfig?.maxTokens;
  if (limit !== undefined && maxTokens !== undefined && maxTokens > limit) {
    throw bad(`The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`);
  }
  return f;
}

const MAX_TOKENS_DEFAULT = 512;

function answer(family: BodyFamily, modelId: string, req: ConverseRequest) {
  check(family, modelId, req);
  // From what shapes the answer, so a batch record and a runtime call (whose input also holds modelId) agree.
  const rand = seeded(modelId, 'converse', req.messages, req.system, req.inferenceConfig, req.toolConfig);
  // Input tokens: the system texts, then each block's text (a tool result's JSON), at least 1.
  let inputTokens = 0;
  for (const s of req.system ?? []) inputTokens += countTokens(s.text ?? '');
  for (const m of req.messages ?? []) for (const b of m.content ?? []) inputTokens += countTokens(b.text ?? (b.toolResult ? JSON.stringify(b.toolResult) : ''));
  inputTokens ||= 1;
  const gen = generate(rand, req.inferenceConfig?.maxTokens ?? MAX_TOKENS_DEFAULT, req.inferenceConfig?.stopSequences);
  const content: Record<string, unknown>[] = [{ text: gen.text }];
  let stopReason = gen.reason === 'length' ? 'max_tokens' : gen.reason === 'stop' ? 'stop_sequence' : 'end_turn';
  const last = req.messages!.at(-1)!;
  const tools = req.toolConfig?.tools?.filter((t) => t.toolSpec) ?? [];
  if (tools.length && gen.reason === 'end' && !last.content.some((b) => b.toolResult)) {
    const tool = tools[Math.floor(rand() * tools.length)].toolSpec!;
    content.push({ toolUse: { toolUseId: `tooluse_${alnumId(rand, 22)}`, name: tool.name, input: {} } });
    stopReason = 'tool_use';
  }
  return { content, stopReason, inputTokens, outputTokens: gen.tokens };
}

export function converse(family: BodyFamily, modelId: string, req: ConverseRequest): ConverseResult {
  const a = answer(family, modelId, req);
  return {
    output: { message: { role: 'assistant', content: a.content } },
    stopReason: a.stopReason,
    usage: { inputTokens: a.inputTokens, outputTokens: a.outputTokens, totalTokens: a.inputTokens + a.outputTokens },
    metrics: { latencyMs: 0 },
  };
}

/** ConverseStream events, each `{ <eventName>: members }` as in the service model's ConverseStreamOutput union. */
export function converseStream(family: BodyFamily, modelId: string, req: ConverseRequest): { events: Record<string, unknown>[]; inputTokens: number; outputTokens: number } {
  const a = answer(family, modelId, req);
  const events: Record<string, unknown>[] = [{ messageStart: { role: 'assistant' } }];
  a.content.forEach((block, contentBlockIndex) => {
    if ('text' in block) {
      for (const text of chunks(String(block.text))) events.push({ contentBlockDelta: { contentBlockIndex, delta: { text } } });
    } else {
      const t = block.toolUse as { toolUseId: string; name: string; input: unknown };
      events.push({ contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId: t.toolUseId, name: t.name } } } });
      events.push({ contentBlockDelta: { contentBlockIndex, delta: { toolUse: { input: JSON.stringify(t.input) } } } });
    }
    events.push({ contentBlockStop: { contentBlockIndex } });
  });
  events.push({ messageStop: { stopReason: a.stopReason } });
  events.push({ metadata: { usage: { inputTokens: a.inputTokens, outputTokens: a.outputTokens, totalTokens: a.inputTokens + a.outputTokens }, metrics: { latencyMs: 0 } } });
  return { events, inputTokens: a.inputTokens, outputTokens: a.outputTokens };
}

/** All text of a Converse request, for scripted-response matching and token counting. */
export const converseText = (req: ConverseRequest) =>
  [...(req.system ?? []).map((s) => s.text ?? ''), ...(req.messages ?? []).flatMap((m) => (m.content ?? []).map((b) => b.text ?? ''))].join('\n');
