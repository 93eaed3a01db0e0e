// Mistral AI on Bedrock speaks two body formats: text completion ({prompt} → outputs[]) on every model, and chat
// completion ({messages} → choices[]) on Mistral Large and Small. Models with both answer the format the body uses.
import { ModelRefusal } from './errors.js';
import { any, arr, checkBody, int, num, obj, str } from './schema.js';
import { dataForSchema } from './schema-data.js';
import { alnumId, chunks, generate, seeded, type Generated } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext, InvokeResult, StreamResult } from './types.js';

type Format = 'prompt' | 'chat';

const CHAT_MODELS = /mistral-(large|small)-/;

/** max_tokens ceiling and default per model, from AWS's text-completion table. */
function tokenLimits(modelId: string) {
  if (modelId.includes('mixtral-8x7b')) return { max: 4096, def: 512 };
  if (modelId.includes('mistral-7b')) return { max: 8192, def: 512 };
  return { max: 8192, def: 8192 };
}

const promptSchema = (max: number) =>
  obj({ prompt: str({ minLength: 1 }), max_tokens: int(1, max), stop: arr(str(), 0, 10), temperature: num(0, 1), top_p: num(0, 1), top_k: int(1, 200) }, ['prompt']);

const toolCall = obj({ id: str(), type: str({ enum: ['function'] }), function: obj({ name: str(), arguments: str() }, ['name', 'arguments']) }, ['id', 'function']);
const chatSchema = (max: number) =>
  obj(
    {
      messages: arr(obj({ role: str({ enum: ['system', 'user', 'assistant', 'tool'] }), content: str(), tool_calls: arr(toolCall), tool_call_id: str() }, ['role']), 1),
      tools: arr(obj({ type: str({ enum: ['function'] }), function: obj({ name: str(), description: str(), parameters: any }, ['name']) }, ['type', 'function'])),
      tool_choice: str({ enum: ['auto', 'any', 'none'] }),
      max_tokens: int(1, max),
      temperature: num(0, 1),
      top_p: num(0, 1),
    },
    ['messages'],
  );

interface ChatBody {
  messages: { role: string; content?: string }[];
  tools?: { function: { name: string; parameters?: unknown } }[];
  tool_choice?: string;
  max_tokens?: number;
}

/** The format a body is answered in: the one its keys name, when the model speaks it; else the family's own. */
function formatOf(body: unknown, modelId: string, own: Format): Format {
  const keys = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  if ('messages' in keys && CHAT_MODELS.test(modelId)) return 'chat';
  if ('prompt' in keys) return 'prompt';
  return own;
}

const stopReason = (gen: Generated) => (gen.reason === 'length' ? 'length' : 'stop');

function answerPrompt(body: unknown, ctx: InvokeContext) {
  const limits = tokenLimits(ctx.modelId);
  const b = checkBody<{ prompt: string; max_tokens?: number; stop?: string[] }>(promptSchema(limits.max), body);
  const gen = generate(seeded(ctx.modelId, body), b.max_tokens ?? limits.def, b.stop);
  return { gen, inputTokens: countTokens(b.prompt) };
}

function answerChat(body: unknown, ctx: InvokeContext) {
  const limits = tokenLimits(ctx.modelId);
  const b = checkBody<ChatBody>(chatSchema(limits.max), body);
  // Mistral's own serving check, which Bedrock passes through.
  const last = b.messages.at(-1)!.role;
  if (last !== 'user' && last !== 'tool') throw new ModelRefusal(`Expected last role User or Tool (or Assistant with prefix True) for serving but got ${last}`);
  const rand = seeded(ctx.modelId, body);
  const inputTokens = b.messages.reduce((n, m) => n + countTokens(m.content ?? ''), 0);
  const tool = b.tool_choice === 'any' ? b.tools?.[0] : undefined;
  // tool_choice "any" forces a call: the fake model calls the first tool, with arguments valid for its parameters.
  if (tool) {
    const id = alnumId(rand, 9);
    return { gen: undefined, inputTokens, toolCalls: [{ id, function: { name: tool.function.name, arguments: JSON.stringify(dataForSchema(tool.function.parameters ?? { type: 'object' }, rand)) } }] };
  }
  return { gen: generate(rand, b.max_tokens ?? limits.def), inputTokens, toolCalls: undefined };
}

function invoke(format: Format, body: unknown, ctx: InvokeContext): InvokeResult {
  if (format === 'prompt') {
    const { gen, inputTokens } = answerPrompt(body, ctx);
    const stop_reason = stopReason(gen);
    return { body: { outputs: [{ text: gen.text, stop_reason }] }, inputTokens, outputTokens: gen.tokens, stopReason: stop_reason };
  }
  const { gen, inputTokens, toolCalls } = answerChat(body, ctx);
  const stop_reason = gen ? stopReason(gen) : 'tool_calls';
  const message = gen ? { role: 'assistant', content: gen.text } : { role: 'assistant', content: '', tool_calls: toolCalls };
  const outputTokens = gen ? gen.tokens : countTokens(JSON.stringify(toolCalls));
  return { body: { choices: [{ index: 0, message, stop_reason }] }, inputTokens, outputTokens, stopReason: stop_reason };
}

function stream(format: Format, body: unknown, ctx: InvokeContext): StreamResult {
  const whole = invoke(format, body, ctx);
  const last = (i: number, n: number) => (i === n - 1 ? whole.stopReason : null);
  if (format === 'prompt') {
    const parts = chunks((whole.body.outputs as { text: string }[])[0].text);
    return { events: parts.map((text, i) => ({ outputs: [{ text, stop_reason: last(i, parts.length) }] })), inputTokens: whole.inputTokens, outputTokens: whole.outputTokens };
  }
  const message = (whole.body.choices as { message: { content: string; tool_calls?: unknown } }[])[0].message;
  const parts = message.tool_calls ? [''] : chunks(message.content);
  const events = parts.map((content, i) => ({ choices: [{ index: 0, message: { ...message, content }, stop_reason: last(i, parts.length) }] }));
  return { events, inputTokens: whole.inputTokens, outputTokens: whole.outputTokens };
}

const familyModule = (family: 'mistral-prompt' | 'mistral-chat', own: Format): FamilyModule => ({
  family,
  invoke: (body, ctx) => invoke(formatOf(body, ctx.modelId, own), body, ctx),
  stream: (body, ctx) => stream(formatOf(body, ctx.modelId, own), body, ctx),
});

export const mistralPrompt = familyModule('mistral-prompt', 'prompt');
export const mistralChat = familyModule('mistral-chat', 'chat');
