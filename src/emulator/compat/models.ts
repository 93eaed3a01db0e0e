// Which models each compatible API serves, and the call into the fake models that all three share: the registry's
// region and profile rules (runtimeModel), the runtime quotas, then Converse, so that a conversation gets the same
// answer here as through Converse (scripts and faults included).
import { setTimeout as sleep } from 'node:timers/promises';
import { converse, converseStream, type AnswerBlock, type ConverseRequest, type ConverseResult, type StreamEvent } from '../../fake-models/index.js';
import { countTokens } from '../../fake-models/tokens.js';
import type { ModelInfo } from '../../registry/index.js';
import type { OpContext } from '../dispatch.js';
import { fromFakeModel } from '../model-errors.js';
import { runtimeModel } from '../runtime/model-resolution.js';
import { ApiError } from './errors.js';

/**
 * The API paths and the models AWS says each serves: Chat Completions (and the OpenAI Batch API) "all OpenAI models
 * supported in Amazon Bedrock", plus the open-weight families AWS lists for Chat Completions; Messages, Claude.
 * Responses: the emulator serves it for the Chat Completions models (see the README's "Differences from AWS").
 */
export const SERVED: Record<'/v1/chat/completions' | '/v1/responses' | 'Messages', (m: ModelInfo) => boolean> = {
  '/v1/chat/completions': (m) => CHAT_PROVIDERS.has(m.provider),
  '/v1/responses': (m) => CHAT_PROVIDERS.has(m.provider),
  Messages: (m) => m.family === 'anthropic-messages',
};
const CHAT_PROVIDERS = new Set<string>(['OpenAI', 'Qwen', 'DeepSeek']);

/** The model a compatible request names, in the caller's region, if the API serves it. */
export function servedModel(ctx: OpContext, modelId: string, api: keyof typeof SERVED): ModelInfo {
  const model = runtimeModel(ctx, modelId);
  if (!SERVED[api](model)) {
    const what = api === 'Messages' ? 'the Anthropic Messages API' : `the '${api}' API`;
    throw new ApiError(400, `The model '${modelId}' does not support ${what}`, null, 'validation_error');
  }
  return model;
}

function admit(ctx: OpContext, model: ModelInfo, request: ConverseRequest) {
  ctx.emu.runtimeQuotas.admit(ctx, model.id, () => countTokens(JSON.stringify(request.messages ?? [])));
}

export async function answer(ctx: OpContext, model: ModelInfo, request: ConverseRequest): Promise<ConverseResult> {
  admit(ctx, model, request);
  const { delayMs, ...result } = fromFakeModel(() => converse({ family: model.family, modelId: model.id, scripts: ctx.emu.scripts, nativeApi: true }, request));
  if (delayMs) await sleep(delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.usage.outputTokens);
  return result;
}

/** ConverseStream's events (`{ <eventName>: members }`), worked out before the first byte goes out. */
export async function answerStream(ctx: OpContext, model: ModelInfo, request: ConverseRequest): Promise<StreamEvent[]> {
  admit(ctx, model, request);
  const result = fromFakeModel(() => converseStream({ family: model.family, modelId: model.id, scripts: ctx.emu.scripts, nativeApi: true }, request));
  if (result.delayMs) await sleep(result.delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.outputTokens);
  return result.events;
}

/** A data: URL's bytes and image format, for Converse image blocks. */
export function dataUrlImage(url: string): { format: string; source: { bytes: Uint8Array } } {
  const m = /^data:image\/(png|jpeg|jpg|gif|webp);base64,(.*)$/s.exec(url);
  if (!m) throw new ApiError(400, 'Only base64 data: URLs of png, jpeg, gif or webp images are supported for image input.', null, 'invalid_value');
  return { format: m[1] === 'jpg' ? 'jpeg' : m[1], source: { bytes: Buffer.from(m[2], 'base64') } };
}

/** A JSON-schema answer format as Converse's `outputConfig` takes it (structured output). */
export const jsonSchemaOutput = (f: { schema: Record<string, unknown>; name?: string; description?: string }) => ({
  textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(f.schema), ...(f.name ? { name: f.name } : {}), ...(f.description ? { description: f.description } : {}) } } },
});

/** A tool call's JSON arguments string (OpenAI's shape) as the input object Converse carries. */
export function toolArguments(args: string, param: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    throw new ApiError(400, `Invalid value for '${param}': a tool call's arguments must be a JSON object.`, param, 'invalid_value');
  }
}

/** Converse needs alternating roles: adjacent messages of one role (tool results after user text…) become one. */
export function mergeRoles(messages: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[]): ConverseRequest['messages'] {
  const out: { role: string; content: Record<string, unknown>[] }[] = [];
  for (const m of messages) {
    const last = out.at(-1);
    if (last && last.role === m.role) last.content.push(...m.content);
    else out.push({ role: m.role, content: [...m.content] });
  }
  return out as ConverseRequest['messages'];
}

/** Server-sent events: `event:` line when named, one `data:` line of JSON (or a literal such as `[DONE]`). */
export const sse = (data: unknown, event?: string) => Buffer.from(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** Text in word-sized pieces (each with the spaces after it) for stream deltas; they join back to the text. */
export const words = (text: string) => text.match(/^\s+|\S+\s*/g) ?? [];

/** Seconds since the epoch on the emulator's clock (the APIs' `created` fields). */
export const epochSeconds = (ctx: OpContext) => Math.floor(ctx.emu.clock.now() / 1000);

/** The content blocks of a Converse answer (text, toolUse, reasoningContent). */
export type Block = AnswerBlock;
