// POST /openai/v1/chat/completions: OpenAI's Create chat completion, as Bedrock serves it on the runtime host.
// The request becomes a Converse request, the Converse answer a `chat.completion` (or `chat.completion.chunk`
// server-sent events ending in `data: [DONE]`). Reasoning comes back in `<reasoning>` tags before the text, as AWS
// documents for gpt-oss answers.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ConverseRequest, ConverseResult, StreamEvent } from '../../fake-models/index.js';
import type { OpContext } from '../dispatch.js';
import { Answer } from '../wire.js';
import { errorBody, parseBody } from './errors.js';
import { answer, answerStream, dataUrlImage, epochSeconds, mergeRoles, servedModel, sse, SSE_HEADERS, jsonSchemaOutput, toolArguments, type Block } from './models.js';

const text = z.string();
const part = z.union([
  z.object({ type: z.literal('text'), text }),
  z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string(), detail: z.string().optional() }) }),
]);
const content = z.union([text, z.array(part)]);
const toolCall = z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) });
const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content, name: z.string().optional() }),
  z.object({ role: z.literal('assistant'), content: content.nullish(), tool_calls: z.array(toolCall).optional(), name: z.string().optional(), refusal: z.string().nullish() }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }),
]);
const tool = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
});
const positive = z.number().int().min(1);

export const chatCompletionRequest = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  max_tokens: positive.nullish(),
  max_completion_tokens: positive.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.literal(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(tool).optional(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
  // json_object has no Converse counterpart: accepted, and the answer is left as it is.
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string(), description: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }) }),
    ])
    .optional(),
  user: z.string().optional(),
  seed: z.number().int().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

const joined = (c: z.infer<typeof content> | null | undefined) => (typeof c === 'string' ? c : (c ?? []).map((p) => (p.type === 'text' ? p.text : '')).join(''));

function blocks(c: z.infer<typeof content>): Record<string, unknown>[] {
  if (typeof c === 'string') return [{ text: c }];
  return c.map((p) => (p.type === 'text' ? { text: p.text } : { image: dataUrlImage(p.image_url.url) }));
}

/** The Chat Completions request as Converse sees it. Converse has no "none" tool choice: no tools are sent then. */
export function toConverse(req: ChatCompletionRequest): ConverseRequest {
  const system: { text: string }[] = [];
  const turns: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[] = [];
  for (const m of req.messages) {
    if (m.role === 'system' || m.role === 'developer') system.push({ text: joined(m.content) });
    else if (m.role === 'user') turns.push({ role: 'user', content: blocks(m.content) });
    else if (m.role === 'tool') turns.push({ role: 'user', content: [{ toolResult: { toolUseId: m.tool_call_id, content: [{ text: joined(m.content) }] } }] });
    else {
      const said = joined(m.content);
      const calls = (m.tool_calls ?? []).map((c) => ({ toolUse: { toolUseId: c.id, name: c.function.name, input: toolArguments(c.function.arguments, 'messages') } }));
      turns.push({ role: 'assistant', content: [...(said ? [{ text: said }] : []), ...calls] });
    }
  }
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  const stop = typeof req.stop === 'string' ? [req.stop] : (req.stop ?? undefined);
  const inferenceConfig = clean({ maxTokens, temperature: req.temperature ?? undefined, topP: req.top_p ?? undefined, stopSequences: stop });
  const converse: Record<string, unknown> = { messages: mergeRoles(turns) };
  if (system.length) converse.system = system;
  if (Object.keys(inferenceConfig).length) converse.inferenceConfig = inferenceConfig;
  if (req.tools?.length && req.tool_choice !== 'none') {
    converse.toolConfig = {
      tools: req.tools.map((t) => ({ toolSpec: clean({ name: t.function.name, description: t.function.description, inputSchema: { json: t.function.parameters ?? { type: 'object', properties: {} } } }) })),
      ...(req.tool_choice === 'required' ? { toolChoice: { any: {} } } : typeof req.tool_choice === 'object' ? { toolChoice: { tool: { name: req.tool_choice.function.name } } } : {}),
    };
  }
  if (req.reasoning_effort) converse.additionalModelRequestFields = { reasoning_effort: req.reasoning_effort };
  if (req.response_format?.type === 'json_schema') converse.outputConfig = jsonSchemaOutput({ ...req.response_format.json_schema, schema: req.response_format.json_schema.schema ?? {} });
  return converse as ConverseRequest;
}

const clean = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filtered: 'content_filter',
  guardrail_intervened: 'content_filter',
};

/** The assistant message of a Converse answer in Chat Completions' shape. */
export function toMessage(content: Block[]) {
  const reasoning = content.map((b) => b.reasoningContent?.reasoningText?.text).filter((t) => t !== undefined);
  const said = content.map((b) => b.text).filter((t) => t !== undefined).join('');
  const calls = content.filter((b) => b.toolUse).map((b) => ({ id: b.toolUse!.toolUseId, type: 'function' as const, function: { name: b.toolUse!.name, arguments: JSON.stringify(b.toolUse!.input ?? {}) } }));
  const text = (reasoning.length ? `<reasoning>${reasoning.join('')}</reasoning>` : '') + said;
  return { role: 'assistant' as const, content: text || (calls.length ? null : ''), refusal: null, ...(calls.length ? { tool_calls: calls } : {}) };
}

export const usageOf = (u: ConverseResult['usage']) => ({ prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens });

/** A whole `chat.completion` object for a Converse answer (the batch output lines carry the same). */
export function completionObject(id: string, created: number, model: string, result: ConverseResult) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: toMessage(result.output.message.content), logprobs: null, finish_reason: FINISH[result.stopReason] ?? 'stop' }],
    usage: usageOf(result.usage),
  };
}

export async function chatCompletions(body: Uint8Array, ctx: OpContext): Promise<Answer> {
  const req = parseBody(chatCompletionRequest, body);
  const model = servedModel(ctx, req.model, '/v1/chat/completions');
  const request = toConverse(req);
  const id = `chatcmpl-${randomUUID()}`;
  const created = epochSeconds(ctx);
  if (!req.stream) {
    const result = await answer(ctx, model, request);
    return new Answer(200, { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId }, JSON.stringify(completionObject(id, created, req.model, result)));
  }
  const events = await answerStream(ctx, model, request);
  const includeUsage = req.stream_options?.include_usage === true;
  return new Answer(200, { ...SSE_HEADERS, 'x-amzn-RequestId': ctx.requestId }, chunks(events, { id, created, model: req.model, includeUsage }));
}

/** `chat.completion.chunk` events from ConverseStream events: role first, text and tool-call deltas, the finish. */
async function* chunks(events: StreamEvent[], o: { id: string; created: number; model: string; includeUsage: boolean }): AsyncGenerator<Uint8Array> {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => sse({ id: o.id, object: 'chat.completion.chunk', created: o.created, model: o.model, choices, ...extra });
  const delta = (d: Record<string, unknown>, finish: string | null = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  try {
    yield delta({ role: 'assistant', content: '', refusal: null });
    const toolIndex = new Map<number, number>();
    const reasoningOpen = new Set<number>();
    for (const event of events) {
      if (event.contentBlockStart?.start?.toolUse) {
        const { toolUseId, name } = event.contentBlockStart.start.toolUse;
        const index = toolIndex.size;
        toolIndex.set(event.contentBlockStart.contentBlockIndex, index);
        yield delta({ tool_calls: [{ index, id: toolUseId, type: 'function', function: { name, arguments: '' } }] });
      } else if (event.contentBlockDelta) {
        const { contentBlockIndex: at, delta: d } = event.contentBlockDelta;
        if (d.text !== undefined) yield delta({ content: d.text });
        else if (d.toolUse) yield delta({ tool_calls: [{ index: toolIndex.get(at) ?? 0, function: { arguments: d.toolUse.input } }] });
        else if (d.reasoningContent?.text !== undefined) {
          yield delta({ content: (reasoningOpen.has(at) ? '' : '<reasoning>') + d.reasoningContent.text });
          reasoningOpen.add(at);
        }
      } else if (event.contentBlockStop && reasoningOpen.delete(event.contentBlockStop.contentBlockIndex)) {
        yield delta({ content: '</reasoning>' });
      } else if (event.messageStop) {
        yield delta({}, FINISH[event.messageStop.stopReason] ?? 'stop');
      } else if (event.metadata && o.includeUsage) {
        yield chunk([], { usage: usageOf(event.metadata.usage) });
      }
    }
    yield sse('[DONE]');
  } catch (e) {
    // Past the 200: the error goes as an event, as OpenAI's streams carry them.
    yield sse(errorBody('openai', e).body);
  }
}
