// The fake models' entry points: one FamilyModule per body format, and the calls the runtime routes and the batch
// engine make. Scripted responses and fault injection apply here, so both see them.
import { ModelRefusal } from './errors.js';
import type { BodyFamily } from '../registry/types.js';
import { ai21J2, ai21Jamba } from './ai21.js';
import { anthropicMessages, anthropicText } from './anthropic.js';
import { cohereCommand, cohereCommandR, cohereEmbed, cohereEmbedV4 } from './cohere.js';
import { converseText, familyConverse, familyConverseStream, type ConverseRequest, type ConverseResult } from './converse.js';
import { deepseekR1 } from './deepseek.js';
import { llama } from './meta.js';
import { mistralChat, mistralPrompt } from './mistral.js';
import { nova } from './nova.js';
import { novaEmbed } from './nova-embed.js';
import { openaiChat } from './openai.js';
import type { ScopedPromptCache } from './prompt-cache.js';
import { ScriptBook, scriptedError } from './scripted.js';
import { stabilitySdxl } from './stability.js';
import { withScriptedText } from './text-gen.js';
import { titanEmbedImage, titanEmbedV1, titanEmbedV2, titanImage, titanText } from './titan.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeResult, StreamResult } from './types.js';

export type { FamilyModule, InvokeResult, StreamResult } from './types.js';
export type { AnswerBlock, ConverseRequest, ConverseResult, StreamEvent } from './converse.js';
export { ScriptBook, type Script, type Fault } from './scripted.js';
export { PromptCache, type ScopedPromptCache } from './prompt-cache.js';

export const FAMILIES: Record<BodyFamily, FamilyModule> = {
  'anthropic-messages': anthropicMessages,
  'anthropic-text': anthropicText,
  'titan-text': titanText,
  'titan-embed-text-v1': titanEmbedV1,
  'titan-embed-text-v2': titanEmbedV2,
  'titan-embed-image': titanEmbedImage,
  'titan-image': titanImage,
  nova,
  'nova-embed': novaEmbed,
  llama,
  'mistral-prompt': mistralPrompt,
  'mistral-chat': mistralChat,
  'cohere-command': cohereCommand,
  'cohere-command-r': cohereCommandR,
  'cohere-embed': cohereEmbed,
  'cohere-embed-v4': cohereEmbedV4,
  'ai21-j2': ai21J2,
  'ai21-jamba': ai21Jamba,
  'stability-sdxl': stabilitySdxl,
  'openai-chat': openaiChat,
  'deepseek-r1': deepseekR1,
};

export interface Call {
  family: BodyFamily;
  modelId: string;
  /** Scripts and faults to apply; none when omitted. */
  scripts?: ScriptBook;
  /** The emulator clock's time (ms), for answers that carry a timestamp. */
  now?: number;
  /** Converse prompt caching for the caller's account and region; none (no cache reads or writes) when omitted. */
  promptCache?: ScopedPromptCache;
  /** Mapped from the model's own API rather than called as Converse (see ConverseContext.nativeApi). */
  nativeApi?: boolean;
}

/**
 * Latency the caller should wait before answering (fault injection), added to the family's fresh result object
 * with Object.assign (a `{ ...result, delayMs }` spread costs V8 far more, on every runtime call).
 */
export type Timed<T> = T & { delayMs: number };

/** Every string in a JSON value, joined: what scripts match their `match` pattern against. */
const allText = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.map(allText).join('\n') : v && typeof v === 'object' ? Object.values(v).map(allText).join('\n') : '';

/** `promptText` is only worked out when a script has a `match` pattern to test it against. */
function prepare(call: Call, promptText: () => string) {
  const fault = call.scripts?.fault(call.modelId) ?? { delayMs: 0 };
  if (fault.error) throw fault.error;
  const script = call.scripts?.scriptFor(call.modelId, promptText);
  if (script?.response.error) throw scriptedError(script);
  return { script, delayMs: fault.delayMs };
}

export function invokeModel(call: Call, body: unknown): Timed<InvokeResult> {
  const family = FAMILIES[call.family];
  const { script, delayMs } = prepare(call, () => allText(body));
  const result = withScriptedText(script?.response.text, () => family.invoke(body, { modelId: call.modelId, now: call.now }));
  if (script?.response.body) result.body = script.response.body;
  return Object.assign(result, { delayMs });
}

export function invokeModelStream(call: Call, body: unknown): Timed<StreamResult> {
  const family = FAMILIES[call.family];
  if (!family.stream) throw new ModelRefusal('The model is unsupported for streaming.');
  const { script, delayMs } = prepare(call, () => allText(body));
  return Object.assign(withScriptedText(script?.response.text, () => family.stream!(body, { modelId: call.modelId, now: call.now })), { delayMs });
}

export function converse(call: Call, request: ConverseRequest): Timed<ConverseResult> {
  const { script, delayMs } = prepare(call, () => converseText(request));
  return Object.assign(withScriptedText(script?.response.text, () => familyConverse(call.family, call.modelId, request, { promptCache: call.promptCache, nativeApi: call.nativeApi })), { delayMs });
}

export function converseStream(call: Call, request: ConverseRequest) {
  const { script, delayMs } = prepare(call, () => converseText(request));
  return Object.assign(withScriptedText(script?.response.text, () => familyConverseStream(call.family, call.modelId, request, { promptCache: call.promptCache, nativeApi: call.nativeApi })), { delayMs });
}

/** CountTokens: the same approximation every response reports. */
export function countRequestTokens(input: { invokeModel?: { body: unknown }; converse?: ConverseRequest }): number {
  if (input.converse) return countTokens(converseText(input.converse)) || 1;
  return countTokens(allText(input.invokeModel?.body)) || 1;
}
