// The OpenAI Chat Completions body on InvokeModel and in batch: OpenAI gpt-oss (model-parameters-openai), and the
// open-weight chat models Bedrock serves with the same body (Qwen3, DeepSeek V3.1; FORMAT-NOTES.md).
import { ModelRefusal } from './errors.js';
import { any, arr, bool, checkBody, int, malformed, num, obj, str } from './schema.js';
import { dataForSchema } from './schema-data.js';
import { alnumId, chunks, generate, hexId, seeded, unscripted, type Generated, type Random } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const toolCall = obj({ id: str(), type: str({ enum: ['function'] }), function: obj({ name: str(), arguments: str() }, ['name', 'arguments']) }, ['id', 'type', 'function']);
// OpenAI's Create chat completion parameters (the page AWS points to for the body's fields).
const SCHEMA = obj(
  {
    model: str(),
    messages: arr(obj({ role: str({ enum: ROLES }), content: any, name: str(), tool_calls: arr(toolCall), tool_call_id: str(), reasoning_content: any }, ['role']), 1),
    max_completion_tokens: int(1), max_tokens: int(1), temperature: num(0, 2), top_p: num(0, 1),
    stop: { anyOf: [str(), arr(str(), 0, 4)] }, stream: bool, stream_options: obj({ include_usage: bool }), n: int(1, 128),
    tools: arr(obj({ type: str({ enum: ['function'] }), function: obj({ name: str({ minLength: 1, maxLength: 64 }), description: str(), parameters: any, strict: bool }, ['name']) }, ['type', 'function'])),
    tool_choice: { anyOf: [str({ enum: ['none', 'auto', 'required'] }), obj({ type: str({ enum: ['function'] }), function: obj({ name: str() }, ['name']) }, ['type', 'function'])] },
    parallel_tool_calls: bool, reasoning_effort: str({ enum: ['low', 'medium', 'high'] }), response_format: any, seed: int(),
    frequency_penalty: num(-2, 2), presence_penalty: num(-2, 2), logprobs: bool, top_logprobs: int(0, 20), logit_bias: obj({}, [], true),
    user: str(), metadata: obj({}, [], true), store: bool, 'amazon-bedrock-guardrailConfig': any,
  },
  ['messages'],
);

type Content = string | null | { type: string; text?: string }[];
interface FunctionTool {
  function: { name: string; parameters?: unknown };
}
interface Body {
  model?: string;
  messages: { role: string; content?: Content; tool_call_id?: string }[];
  max_completion_tokens?: number;
  max_tokens?: number;
  stop?: string | string[];
  stream?: boolean;
  n?: number;
  tools?: FunctionTool[];
  tool_choice?: string | { function: { name: string } };
}

const bad = (message: string) => new ModelRefusal(message);
const textOf = (c: Content | undefined) => (typeof c === 'string' ? c : (c ?? []).map((p) => p.text ?? '').join('\n'));
/** gpt-oss answers InvokeModel with its reasoning in <reasoning> tags before the text (model-parameters-openai). */
const reasons = (modelId: string) => modelId.startsWith('openai.');
const VISION = /-vl-/;

function validate(body: unknown, ctx: InvokeContext, streaming: boolean): Body {
  const b = checkBody<Body>(SCHEMA, body);
  b.messages.forEach((m, i) => {
    // A tool message answers one call, by its id (OpenAI's tool message).
    if (m.role === 'tool' && m.tool_call_id === undefined) throw malformed(`#/messages/${i}: required key [tool_call_id] not found`);
    const c = m.content;
    if (c === undefined || c === null) {
      if (m.role !== 'assistant') throw malformed(`#/messages/${i}: required key [content] not found`);
      return;
    }
    if (typeof c === 'string') return;
    if (!Array.isArray(c)) throw malformed(`#/messages/${i}/content: expected type: String, found: JSONObject`);
    // "The OpenAI models support only text input and text output"; of the others only the vision models (Qwen3 VL) read images.
    c.forEach((part, j) => {
      const image = part?.type === 'image_url' && VISION.test(ctx.modelId);
      if (!image && (part?.type !== 'text' || typeof part.text !== 'string')) throw malformed(`#/messages/${i}/content/${j}: only text content parts are supported`);
    });
  });
  // "The value in the model field must match the one in the header" (a profile id names the same model).
  if (b.model !== undefined && b.model !== ctx.modelId && !b.model.endsWith(`.${ctx.modelId}`)) {
    throw bad(`The model ${b.model} in the request body doesn't match the model ID ${ctx.modelId} in the request. Omit the model field or make it match.`);
  }
  // "The value in the stream field must match the API operation that you use."
  if (b.stream !== undefined && b.stream !== streaming) {
    throw bad(streaming ? 'The stream field must be true (or omitted) with InvokeModelWithResponseStream.' : 'The stream field must be false (or omitted) with InvokeModel. Use InvokeModelWithResponseStream to stream.');
  }
  if (b.tool_choice && typeof b.tool_choice === 'object' && !b.tools?.some((t) => t.function.name === (b.tool_choice as { function: { name: string } }).function.name)) {
    throw bad(`tool_choice names the function ${b.tool_choice.function.name}, which isn't in tools.`);
  }
  return b;
}

interface Choice {
  index: number;
  message: { role: 'assistant'; content: string | null; tool_calls?: unknown[] };
  finish_reason: string;
}

/** The tool a choice calls: the one tool_choice names, any for "required", one for "auto" unless a tool result is being answered. */
function chooseTool(b: Body, rand: Random): { tool: FunctionTool; forced: boolean } | undefined {
  const tools = b.tools ?? [];
  const choice = b.tool_choice ?? 'auto';
  if (!tools.length || choice === 'none') return undefined;
  if (typeof choice === 'object') return { tool: tools.find((t) => t.function.name === choice.function.name)!, forced: true };
  const pick = tools[Math.floor(rand() * tools.length)];
  if (choice === 'required') return { tool: pick, forced: true };
  return b.messages.at(-1)!.role === 'tool' ? undefined : { tool: pick, forced: false };
}

const finish = (g: Generated) => (g.reason === 'length' ? 'length' : 'stop');

function answer(body: unknown, ctx: InvokeContext, streaming: boolean) {
  const b = validate(body, ctx, streaming);
  const rand = seeded(ctx.modelId, body);
  const budget = b.max_completion_tokens ?? b.max_tokens ?? 4096;
  const stops = typeof b.stop === 'string' ? [b.stop] : b.stop;
  let outputTokens = 0;
  const choices: Choice[] = Array.from({ length: b.n ?? 1 }, (_, index) => {
    // The completion budget covers the reasoning too: the reasoning comes first, the answer gets what is left.
    const reasoning = reasons(ctx.modelId) ? unscripted(rand, budget) : undefined;
    const left = budget - (reasoning?.tokens ?? 0);
    const tool = chooseTool(b, rand);
    const gen = tool?.forced || reasoning?.reason === 'length' ? undefined : generate(rand, left, stops);
    const prefix = reasoning ? `<reasoning>${reasoning.text}</reasoning>` : '';
    outputTokens += (reasoning?.tokens ?? 0) + (gen?.tokens ?? 0);
    if (tool && (!gen || gen.reason === 'end') && reasoning?.reason !== 'length') {
      const args = JSON.stringify(dataForSchema(tool.tool.function.parameters ?? { type: 'object' }, rand));
      outputTokens += countTokens(args);
      const tool_calls = [{ id: `call_${alnumId(rand, 24)}`, type: 'function', function: { name: tool.tool.function.name, arguments: args } }];
      return { index, message: { role: 'assistant', content: prefix + (gen?.text ?? '') || null, tool_calls }, finish_reason: 'tool_calls' };
    }
    return { index, message: { role: 'assistant', content: prefix + (gen?.text ?? '') }, finish_reason: gen ? finish(gen) : 'length' };
  });
  const inputTokens = b.messages.reduce((n, m) => n + countTokens(textOf(m.content)), 0) || 1;
  return { id: `chatcmpl-${hexId(rand, 32)}`, created: Math.floor((ctx.now ?? Date.now()) / 1000), choices, inputTokens, outputTokens };
}

const usage = (prompt: number, completion: number) => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

export const openaiChat: FamilyModule = {
  family: 'openai-chat',
  invoke(body, ctx) {
    const a = answer(body, ctx, false);
    return {
      body: { id: a.id, object: 'chat.completion', created: a.created, model: ctx.modelId, choices: a.choices, usage: usage(a.inputTokens, a.outputTokens) },
      inputTokens: a.inputTokens,
      outputTokens: a.outputTokens,
      stopReason: a.choices[0].finish_reason,
    };
  },
  // chat.completion.chunk events: the role first, the content in deltas, a tool call whole, then the finish
  // reason; the last chunk carries the usage.
  stream(body, ctx) {
    const a = answer(body, ctx, true);
    const chunk = (choices: unknown[], extra = {}) => ({ id: a.id, object: 'chat.completion.chunk', created: a.created, model: ctx.modelId, choices, ...extra });
    const events: Record<string, unknown>[] = [];
    for (const c of a.choices) {
      events.push(chunk([{ index: c.index, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
      for (const content of c.message.content ? chunks(c.message.content) : []) events.push(chunk([{ index: c.index, delta: { content }, finish_reason: null }]));
      if (c.message.tool_calls) events.push(chunk([{ index: c.index, delta: { tool_calls: c.message.tool_calls.map((t, i) => ({ index: i, ...(t as object) })) }, finish_reason: null }]));
      events.push(chunk([{ index: c.index, delta: {}, finish_reason: c.finish_reason }]));
    }
    events.push(chunk([], { usage: usage(a.inputTokens, a.outputTokens) }));
    return { events, inputTokens: a.inputTokens, outputTokens: a.outputTokens };
  },
};
