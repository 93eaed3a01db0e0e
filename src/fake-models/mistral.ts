// Mistral AI: prompt-style models ({prompt} → outputs[]) and the chat-style Mistral Large 24.07 ({messages} → choices[]).
import { AwsError } from '../emulator/errors.js';
import { any, arr, check, int, num, obj, str } from './schema.js';
import { chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const PROMPT_SCHEMA = obj({ prompt: str({ minLength: 1 }), max_tokens: int(1, 8192), stop: arr(str(), 0, 10), temperature: num(0, 1), top_p: num(0, 1), top_k: int(0, 200) }, ['prompt']);

function answerPrompt(body: unknown, ctx: InvokeContext) {
  const b = check<{ prompt: string; max_tokens?: number; stop?: string[] }>(PROMPT_SCHEMA, body);
  const gen = generate(seeded(ctx.modelId, body), b.max_tokens ?? 512, b.stop);
  return { gen, stop_reason: gen.reason === 'length' ? 'length' : 'stop', inputTokens: countTokens(b.prompt) };
}

export const mistralPrompt: FamilyModule = {
  family: 'mistral-prompt',
  invoke(body, ctx) {
    const { gen, stop_reason, inputTokens } = answerPrompt(body, ctx);
    return { body: { outputs: [{ text: gen.text, stop_reason }] }, inputTokens, outputTokens: gen.tokens, stopReason: stop_reason };
  },
  stream(body, ctx) {
    const { gen, stop_reason, inputTokens } = answerPrompt(body, ctx);
    const parts = chunks(gen.text);
    return { events: parts.map((text, i) => ({ outputs: [{ text, stop_reason: i === parts.length - 1 ? stop_reason : null }] })), inputTokens, outputTokens: gen.tokens };
  },
};

const CHAT_SCHEMA = obj(
  {
    messages: arr(obj({ role: str({ enum: ['system', 'user', 'assistant', 'tool'] }), content: { anyOf: [str(), arr(any)] }, tool_calls: any, tool_call_id: str() }, ['role']), 1),
    max_tokens: int(1, 8192),
    temperature: num(0, 1),
    top_p: num(0, 1),
    tools: arr(any),
    tool_choice: any,
    stop: arr(str()),
  },
  ['messages'],
);

function answerChat(body: unknown, ctx: InvokeContext) {
  const b = check<{ messages: { role: string; content?: unknown }[]; max_tokens?: number; stop?: string[] }>(CHAT_SCHEMA, body);
  if (b.messages.at(-1)!.role === 'assistant') throw new AwsError('ValidationException', 'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant');
  const inputTokens = b.messages.reduce((n, m) => n + countTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')), 0);
  const gen = generate(seeded(ctx.modelId, body), b.max_tokens ?? 512, b.stop);
  return { gen, stop_reason: gen.reason === 'length' ? 'length' : 'stop', inputTokens };
}

export const mistralChat: FamilyModule = {
  family: 'mistral-chat',
  invoke(body, ctx) {
    const { gen, stop_reason, inputTokens } = answerChat(body, ctx);
    return { body: { choices: [{ index: 0, message: { role: 'assistant', content: gen.text }, stop_reason }] }, inputTokens, outputTokens: gen.tokens, stopReason: stop_reason };
  },
  stream(body, ctx) {
    const { gen, stop_reason, inputTokens } = answerChat(body, ctx);
    const parts = chunks(gen.text);
    const events = parts.map((content, i) => ({ choices: [{ index: 0, message: { role: 'assistant', content }, stop_reason: i === parts.length - 1 ? stop_reason : null }] }));
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};
