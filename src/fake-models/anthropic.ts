// Anthropic on Bedrock: the Messages API (Claude 3 and later) and Text Completions (Claude 2.x, Instant).
import { ModelRefusal } from './errors.js';
import { featuresOf, getModel } from '../registry/index.js';
import { any, arr, checkBody, int, num, obj, str, type Schema } from './schema.js';
import { dataForSchema } from './schema-data.js';
import { alnumId, chunks, generate, seeded } from './text-gen.js';
import { reason, thinkingOf } from './thinking.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

/** Output-token ceiling: the model's features row (with a beta that raises it, when the body names it), else 4,096. */
export function maxOutput(modelId: string, betas: readonly string[] = []): number {
  const f = featuresOf(getModel(modelId) ?? { id: modelId, family: 'anthropic-messages' });
  let max = f?.maxTokens ?? 4096;
  for (const beta of betas) max = Math.max(max, f?.maxTokensWithBeta?.[beta] ?? 0);
  return max;
}

/** The model name Anthropic's responses carry (`claude-3-haiku-20240307`), per model id. */
const modelNames = new Map<string, string>();
function modelName(modelId: string): string {
  let name = modelNames.get(modelId);
  if (name === undefined) modelNames.set(modelId, (name = modelId.replace(/^anthropic\./, '').replace(/-v\d+:\d+$/, '')));
  return name;
}

const block: Schema = obj({ type: str(), text: any, source: any, id: any, name: any, input: any, tool_use_id: any, content: any, is_error: any, cache_control: any, title: any, context: any, citations: any, thinking: any, signature: any, data: any }, ['type']);
const MESSAGES_SCHEMA = obj(
  {
    anthropic_version: str(),
    anthropic_beta: arr(str()),
    max_tokens: int(1),
    messages: arr(obj({ role: str({ enum: ['user', 'assistant'] }), content: { anyOf: [str(), arr(block)] } }, ['role', 'content']), 1),
    system: { anyOf: [str(), arr(block)] },
    temperature: num(0, 1),
    top_p: num(0, 1),
    top_k: int(0),
    stop_sequences: arr(str(), 0, 8191),
    tools: arr(any),
    tool_choice: any,
    metadata: any,
    thinking: any,
    output_config: any,
  },
  ['anthropic_version', 'max_tokens', 'messages'],
);

interface MessagesBody {
  max_tokens: number;
  messages: { role: 'user' | 'assistant'; content: string | { type: string; text?: string }[] }[];
  system?: string | { text?: string }[];
  stop_sequences?: string[];
  tools?: { name: string; input_schema?: unknown }[];
  tool_choice?: { type?: string; name?: string };
  thinking?: unknown;
  anthropic_beta?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  output_config?: { format?: { type?: string; schema?: unknown } };
}

const textOf = (content: MessagesBody['messages'][number]['content'] | MessagesBody['system']): string =>
  typeof content === 'string' ? content : (content ?? []).map((b) => b.text ?? '').join('\n');

const BLOCK_TYPES = new Set(['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking']);

const bad = (message: string) => new ModelRefusal(message);
/** The image media types Claude reads (model-parameters-anthropic-claude-messages); others are refused. */
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

function validateMessages(body: unknown, modelId: string): MessagesBody {
  const b = checkBody<MessagesBody>(MESSAGES_SCHEMA, body);
  if (b.messages[0].role !== 'user') throw bad('messages: first message must use the "user" role');
  for (let i = 1; i < b.messages.length; i++) {
    if (b.messages[i].role === b.messages[i - 1].role) {
      throw bad(`messages: roles must alternate between "user" and "assistant", but found multiple "${b.messages[i].role}" roles in a row`);
    }
  }
  for (let i = 0; i < b.messages.length; i++) {
    const m = b.messages[i];
    if (typeof m.content === 'string') {
      // Only a final assistant turn (a prefill) may be empty.
      const prefill = i === b.messages.length - 1 && m.role === 'assistant';
      if (!m.content.trim() && !prefill) throw bad('messages: text content blocks must contain non-whitespace text');
      continue;
    }
    for (let j = 0; j < m.content.length; j++) {
      const c = m.content[j];
      if (!BLOCK_TYPES.has(c.type)) throw bad(`messages.${i}.content.${j}.type: Input tag '${c.type}' found using 'type' does not match any of the expected tags: ${[...BLOCK_TYPES].map((t) => `'${t}'`).join(', ')}`);
      if (c.type === 'text' && typeof c.text !== 'string') throw bad(`messages.${i}.content.${j}.text: Field required`);
      const source = c.type === 'image' ? (c as { source?: { type?: string; media_type?: unknown } }).source : undefined;
      if (source?.type === 'base64' && !IMAGE_TYPES.includes(source.media_type as string)) {
        throw bad(`messages.${i}.content.${j}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
      }
    }
  }
  const limit = maxOutput(modelId, b.anthropic_beta);
  if (b.max_tokens > limit) {
    throw bad(`max_tokens: ${b.max_tokens} > ${limit}, which is the maximum allowed number of output tokens for ${modelName(modelId)}`);
  }
  return b;
}

/** The final assistant turn that must open with thinking: a prefill, or the turn the trailing tool results answer. */
function finalAssistant(messages: MessagesBody['messages']) {
  const n = messages.length;
  const last = messages[n - 1];
  const answersTools = typeof last.content !== 'string' && last.content.some((c) => c.type === 'tool_result');
  const index = last.role === 'assistant' ? n - 1 : answersTools && n >= 2 ? n - 2 : -1;
  if (index < 0) return undefined;
  const content = messages[index].content;
  return { index, firstType: typeof content === 'string' ? 'text' : (content[0]?.type ?? 'text') };
}

function answerMessages(body: unknown, ctx: InvokeContext) {
  const b = validateMessages(body, ctx.modelId);
  const choice = b.tool_choice?.type;
  const forced = choice === 'any' || choice === 'tool';
  const thinking = thinkingOf(featuresOf(getModel(ctx.modelId) ?? { id: ctx.modelId, family: 'anthropic-messages' }), {
    thinking: b.thinking,
    maxTokens: b.max_tokens,
    temperature: b.temperature,
    topP: b.top_p,
    topK: b.top_k,
    forcedTool: forced,
    finalAssistant: finalAssistant(b.messages),
  }, bad);
  if (choice === 'tool' && !b.tools?.some((t) => t.name === b.tool_choice!.name)) throw bad(`tool_choice.name: Tool '${String(b.tool_choice!.name)}' not found in tools`);
  if (forced && !b.tools?.length) throw bad('tool_choice: tool_choice may only be specified while providing tools.');
  const rand = seeded(ctx.modelId, body);
  const promptText = textOf(b.system) + b.messages.map((m) => textOf(m.content)).join('\n');
  const inputTokens = countTokens(textOf(b.system)) + b.messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0) || 1;
  const lastUser = b.messages.at(-1)!;
  const answeringToolResult = typeof lastUser.content !== 'string' && lastUser.content.some((c) => c.type === 'tool_result');
  const id = `msg_bdrk_${alnumId(rand, 24)}`;
  const content: Record<string, unknown>[] = [];
  let outputTokens = 0;
  if (thinking) {
    const r = reason(rand, Math.min(thinking.budget, b.max_tokens - 1), promptText);
    content.push(r.redacted !== undefined ? { type: 'redacted_thinking', data: r.redacted } : { type: 'thinking', thinking: r.text, signature: r.signature });
    outputTokens += r.tokens;
  }
  const toolUse = (tool: { name: string; input_schema?: unknown }) => ({ type: 'tool_use', id: `toolu_bdrk_${alnumId(rand, 24)}`, name: tool.name, input: dataForSchema(tool.input_schema, rand) });
  if (forced) {
    // A forced tool call comes alone: Anthropic prefills the turn, so no text precedes it.
    const tool = choice === 'tool' ? b.tools!.find((t) => t.name === b.tool_choice!.name)! : b.tools![Math.floor(rand() * b.tools!.length)];
    const block = toolUse(tool);
    content.push(block);
    outputTokens += countTokens(JSON.stringify(block.input));
    return { b, gen: undefined, id, content, stopReason: 'tool_use', inputTokens, outputTokens };
  }
  const format = b.output_config?.format;
  if (format) {
    // Structured outputs ("Get validated JSON results from models"): InvokeModel's Claude field is output_config.format.
    if (!featuresOf(getModel(ctx.modelId) ?? { id: ctx.modelId, family: 'anthropic-messages' })?.structuredOutput) throw bad('output_config.format: structured outputs are not supported for this model.');
    if (format.type !== 'json_schema' || !format.schema || typeof format.schema !== 'object') throw bad('output_config.format: expected type "json_schema" with a "schema" object.');
    const text = JSON.stringify(dataForSchema(format.schema, rand));
    content.push({ type: 'text', text });
    return { b, gen: undefined, id, content, stopReason: 'end_turn', inputTokens, outputTokens: outputTokens + countTokens(text) };
  }
  const gen = generate(rand, b.max_tokens - outputTokens, b.stop_sequences);
  content.push({ type: 'text', text: gen.text });
  outputTokens += gen.tokens;
  let stopReason = gen.reason === 'length' ? 'max_tokens' : gen.reason === 'stop' ? 'stop_sequence' : 'end_turn';
  const tools = choice === 'none' || answeringToolResult ? [] : (b.tools ?? []);
  if (tools.length && gen.reason === 'end') {
    content.push(toolUse(tools[Math.floor(rand() * tools.length)]));
    stopReason = 'tool_use';
  }
  return { b, gen, id, content, stopReason, inputTokens, outputTokens };
}

export const anthropicMessages: FamilyModule = {
  family: 'anthropic-messages',
  invoke(body, ctx) {
    const a = answerMessages(body, ctx);
    return {
      body: {
        id: a.id,
        type: 'message',
        role: 'assistant',
        model: modelName(ctx.modelId),
        content: a.content,
        stop_reason: a.stopReason,
        stop_sequence: a.gen?.stopSequence ?? null,
        usage: { input_tokens: a.inputTokens, output_tokens: a.outputTokens },
      },
      inputTokens: a.inputTokens,
      outputTokens: a.outputTokens,
      stopReason: a.stopReason,
    };
  },
  stream(body, ctx) {
    const a = answerMessages(body, ctx);
    const model = modelName(ctx.modelId);
    const events: Record<string, unknown>[] = [
      { type: 'message_start', message: { id: a.id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: a.inputTokens, output_tokens: 1 } } },
    ];
    a.content.forEach((c, index) => {
      if (c.type === 'text') {
        events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const text of chunks(String(c.text))) events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      } else if (c.type === 'thinking') {
        events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
        for (const thinking of chunks(String(c.thinking))) events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
        events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: c.signature } });
      } else if (c.type === 'redacted_thinking') {
        events.push({ type: 'content_block_start', index, content_block: c });
      } else {
        events.push({ type: 'content_block_start', index, content_block: { ...c, input: {} } });
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(c.input) } });
      }
      events.push({ type: 'content_block_stop', index });
    });
    events.push({ type: 'message_delta', delta: { stop_reason: a.stopReason, stop_sequence: a.gen?.stopSequence ?? null }, usage: { output_tokens: a.outputTokens } });
    events.push({ type: 'message_stop' });
    return { events, inputTokens: a.inputTokens, outputTokens: a.outputTokens };
  },
};

const TEXT_SCHEMA = obj(
  { prompt: str(), max_tokens_to_sample: int(0, 4096), temperature: num(0, 1), top_p: num(0, 1), top_k: int(0, 500), stop_sequences: arr(str()), anthropic_version: str() },
  ['prompt', 'max_tokens_to_sample'],
);

function answerText(body: unknown, ctx: InvokeContext) {
  const b = checkBody<{ prompt: string; max_tokens_to_sample: number; stop_sequences?: string[] }>(TEXT_SCHEMA, body);
  if (!/^(?:[\s\S]*?)\n\nHuman:/.test(b.prompt)) {
    throw new ModelRefusal('prompt must start with "\n\nHuman:" turn after an optional system prompt');
  }
  if (!/\n\nAssistant:\s*$/.test(b.prompt) && !/\n\nAssistant:[^]*$/.test(b.prompt)) {
    throw new ModelRefusal('prompt must end with "\n\nAssistant:" turn');
  }
  const gen = generate(seeded(ctx.modelId, body), b.max_tokens_to_sample, b.stop_sequences);
  return { gen, inputTokens: countTokens(b.prompt) };
}

export const anthropicText: FamilyModule = {
  family: 'anthropic-text',
  invoke(body, ctx) {
    const { gen, inputTokens } = answerText(body, ctx);
    const stop_reason = gen.reason === 'length' ? 'max_tokens' : 'stop_sequence';
    return {
      body: { type: 'completion', completion: ` ${gen.text}`, stop_reason, stop: gen.stopSequence ?? (gen.reason === 'end' ? '\n\nHuman:' : null) },
      inputTokens,
      outputTokens: gen.tokens,
      stopReason: stop_reason,
    };
  },
  stream(body, ctx) {
    const { gen, inputTokens } = answerText(body, ctx);
    const parts = chunks(` ${gen.text}`);
    const stop_reason = gen.reason === 'length' ? 'max_tokens' : 'stop_sequence';
    const events = parts.map((completion, i) => ({
      type: 'completion',
      completion,
      stop_reason: i === parts.length - 1 ? stop_reason : null,
      stop: i === parts.length - 1 ? (gen.stopSequence ?? (gen.reason === 'end' ? '\n\nHuman:' : null)) : null,
    }));
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};
