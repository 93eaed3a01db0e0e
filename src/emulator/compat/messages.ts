// POST /anthropic/v1/messages: Anthropic's Messages API on the runtime host, for Claude models (plain ids of
// profile-only models are refused as on InvokeModel). The request becomes a Converse request (thinking through
// additionalModelRequestFields, as Converse takes it for Claude); the answer comes back as a `message`, or as the
// SSE stream `message_start` … `content_block_*` … `message_delta` (with usage), `message_stop`.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConverseRequest, ConverseResult } from '../../fake-models/index.js';
import type { OpContext } from '../dispatch.js';
import { Answer } from '../wire.js';
import { errorBody, parseBody } from './errors.js';
import { answer, mergeRoles, servedModel, sse, SSE_HEADERS, words, type Block } from './models.js';

const cache = { cache_control: z.unknown().optional() };
const textBlock = z.object({ type: z.literal('text'), text: z.string(), citations: z.unknown().optional(), ...cache });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.object({ type: z.literal('base64'), media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string() }),
  ...cache,
});
const toolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()), ...cache });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  ...cache,
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });
const block = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock]);

export const messagesRequest = z.object({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) })).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullish() }).optional(),
  tools: z.array(z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()), ...cache }).loose()).optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('none') }),
    ])
    .optional(),
  thinking: z.discriminatedUnion('type', [z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }), z.object({ type: z.literal('disabled') })]).optional(),
});
type MessagesRequest = z.infer<typeof messagesRequest>;

function toConverseBlock(b: z.infer<typeof block>): Record<string, unknown> {
  switch (b.type) {
    case 'text':
      return { text: b.text };
    case 'image':
      return { image: { format: b.source.media_type.slice('image/'.length), source: { bytes: Buffer.from(b.source.data, 'base64') } } };
    case 'tool_use':
      return { toolUse: { toolUseId: b.id, name: b.name, input: b.input } };
    case 'tool_result': {
      const content = typeof b.content === 'string' ? [{ text: b.content }] : (b.content ?? []).map((c) => toConverseBlock(c));
      return { toolResult: { toolUseId: b.tool_use_id, content, ...(b.is_error ? { status: 'error' } : {}) } };
    }
    case 'thinking':
      return { reasoningContent: { reasoningText: { text: b.thinking, signature: b.signature } } };
    case 'redacted_thinking':
      return { reasoningContent: { redactedContent: Buffer.from(b.data, 'base64') } };
  }
}

function toConverse(req: MessagesRequest): ConverseRequest {
  const turns = req.messages.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? [{ text: m.content }] : m.content.map(toConverseBlock) }));
  const converse: Record<string, unknown> = { messages: mergeRoles(turns) };
  const system = typeof req.system === 'string' ? [{ text: req.system }] : req.system?.map((s) => ({ text: s.text }));
  if (system?.length) converse.system = system;
  converse.inferenceConfig = Object.fromEntries(
    Object.entries({ maxTokens: req.max_tokens, temperature: req.temperature, topP: req.top_p, stopSequences: req.stop_sequences }).filter(([, v]) => v !== undefined),
  );
  if (req.tools?.length && req.tool_choice?.type !== 'none') {
    const choice = req.tool_choice;
    converse.toolConfig = {
      tools: req.tools.map((t) => ({ toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.input_schema } } })),
      ...(choice?.type === 'any' ? { toolChoice: { any: {} } } : choice?.type === 'tool' ? { toolChoice: { tool: { name: choice.name } } } : {}),
    };
  }
  const extra: Record<string, unknown> = {};
  if (req.thinking) extra.thinking = req.thinking;
  if (req.top_k !== undefined) extra.top_k = req.top_k;
  if (Object.keys(extra).length) converse.additionalModelRequestFields = extra;
  return converse as ConverseRequest;
}

const STOP: Record<string, string> = { end_turn: 'end_turn', stop_sequence: 'stop_sequence', max_tokens: 'max_tokens', tool_use: 'tool_use', guardrail_intervened: 'refusal', content_filtered: 'refusal' };

/** Anthropic's content blocks, as a Messages answer holds them. */
type MessageBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** Anthropic content blocks of a Converse answer. */
function contentOf(blocks: Block[]): MessageBlock[] {
  return blocks.flatMap((b): MessageBlock[] => {
    if (b.reasoningContent?.reasoningText) return [{ type: 'thinking', thinking: b.reasoningContent.reasoningText.text, signature: b.reasoningContent.reasoningText.signature ?? '' }];
    if (b.reasoningContent?.redactedContent) return [{ type: 'redacted_thinking', data: Buffer.from(b.reasoningContent.redactedContent).toString('base64') }];
    if (b.text !== undefined) return [{ type: 'text', text: b.text }];
    if (b.toolUse) return [{ type: 'tool_use', id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} }];
    return [];
  });
}

/**
 * Which stop sequence ended the text. Converse doesn't say; the fake models cut at the earliest match, so with one
 * sequence it is that one, and with several the first listed (see the README).
 */
const stopSequenceOf = (req: MessagesRequest, result: ConverseResult) => (result.stopReason === 'stop_sequence' ? (req.stop_sequences?.[0] ?? null) : null);

function messageObject(req: MessagesRequest, id: string, result: ConverseResult) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content: contentOf(result.output.message.content),
    stop_reason: STOP[result.stopReason] ?? 'end_turn',
    stop_sequence: stopSequenceOf(req, result),
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

export async function messages(body: Uint8Array, ctx: OpContext): Promise<Answer> {
  const req = parseBody(messagesRequest, body);
  const model = servedModel(ctx, req.model, 'Messages');
  // Bedrock-style message ids (msg_bdrk_…), 24 random base-62-ish characters.
  const id = `msg_bdrk_${randomBytes(18).toString('base64url').replace(/[-_]/g, '0')}`;
  const result = await answer(ctx, model, toConverse(req));
  const message = messageObject(req, id, result);
  if (!req.stream) return new Answer(200, { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId }, JSON.stringify(message));
  return new Answer(200, { ...SSE_HEADERS, 'x-amzn-RequestId': ctx.requestId }, events(message));
}

/** The Messages stream of a finished message: each block opened, sent in deltas, closed; then the stop and usage. */
async function* events(message: ReturnType<typeof messageObject>): AsyncGenerator<Uint8Array> {
  const ev = (type: string, members: Record<string, unknown>) => sse({ type, ...members }, type);
  try {
    yield ev('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } });
    for (const [index, b] of message.content.entries()) {
      if (b.type === 'text') {
        yield ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
        for (const text of words(b.text)) yield ev('content_block_delta', { index, delta: { type: 'text_delta', text } });
      } else if (b.type === 'tool_use') {
        yield ev('content_block_start', { index, content_block: { ...b, input: {} } });
        yield ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
      } else if (b.type === 'thinking') {
        yield ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
        for (const thinking of words(b.thinking)) yield ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } });
        yield ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: b.signature } });
      } else {
        yield ev('content_block_start', { index, content_block: b });
      }
      yield ev('content_block_stop', { index });
    }
    yield ev('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence }, usage: { output_tokens: message.usage.output_tokens } });
    yield ev('message_stop', {});
  } catch (e) {
    yield ev('error', { error: (errorBody('anthropic', e).body as { error: unknown }).error });
  }
}
