// POST /openai/v1/responses: OpenAI's Create response as the runtime host serves it — always synchronous (no
// `background`), no server-side tools, nothing stored (no `previous_response_id`). Input items become a Converse
// request; the answer comes back as `response` output items (reasoning, message, function_call), or as the
// Responses streaming events (`response.created` … `response.completed`).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConverseRequest, ConverseResult } from '../../fake-models/index.js';
import type { OpContext } from '../dispatch.js';
import { Answer } from '../wire.js';
import { ApiError, errorBody, parseBody } from './errors.js';
import { answer, dataUrlImage, epochSeconds, mergeRoles, servedModel, sse, SSE_HEADERS, jsonSchemaOutput, toolArguments, words, type Block } from './models.js';

const inputPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z.object({ type: z.literal('output_text'), text: z.string() }).loose(),
  z.object({ type: z.literal('input_image'), image_url: z.string(), detail: z.string().optional() }),
]);
const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputPart)]),
}).loose();
const functionCall = z.object({ type: z.literal('function_call'), call_id: z.string(), name: z.string(), arguments: z.string() }).loose();
const functionOutput = z.object({ type: z.literal('function_call_output'), call_id: z.string(), output: z.string() }).loose();
const reasoningItem = z.object({ type: z.literal('reasoning') }).loose();
const item = z.union([functionCall, functionOutput, reasoningItem, messageItem]);
const functionTool = z.object({ type: z.literal('function'), name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().nullish(), parameters: z.record(z.string(), z.unknown()).nullish(), strict: z.boolean().nullish() });

export const responseRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(item).min(1)]),
  instructions: z.string().nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  tools: z.array(functionTool).optional(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), name: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  background: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  reasoning: z.object({ effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(), summary: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().optional(),
  text: z
    .object({
      format: z
        .discriminatedUnion('type', [
          z.object({ type: z.literal('text') }),
          z.object({ type: z.literal('json_object') }),
          z.object({ type: z.literal('json_schema'), name: z.string(), description: z.string().optional(), schema: z.record(z.string(), z.unknown()), strict: z.boolean().nullish() }),
        ])
        .optional(),
    })
    .loose()
    .nullish(),
});
type ResponseRequest = z.infer<typeof responseRequest>;

const textOf = (c: string | z.infer<typeof inputPart>[]) => (typeof c === 'string' ? c : c.map((p) => ('text' in p ? p.text : '')).join(''));

function toConverse(req: ResponseRequest): ConverseRequest {
  const system: { text: string }[] = req.instructions ? [{ text: req.instructions }] : [];
  const turns: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[] = [];
  const items = typeof req.input === 'string' ? [{ role: 'user' as const, content: req.input }] : req.input;
  for (const it of items) {
    if ('role' in it && !('call_id' in it)) {
      const m = it as z.infer<typeof messageItem>;
      if (m.role === 'system' || m.role === 'developer') system.push({ text: textOf(m.content) });
      else {
        const content = typeof m.content === 'string' ? [{ text: m.content }] : m.content.map((p) => (p.type === 'input_image' ? { image: dataUrlImage(p.image_url) } : { text: p.text }));
        turns.push({ role: m.role, content });
      }
    } else if (it.type === 'function_call') {
      const c = it as z.infer<typeof functionCall>;
      turns.push({ role: 'assistant', content: [{ toolUse: { toolUseId: c.call_id, name: c.name, input: toolArguments(c.arguments, 'input') } }] });
    } else if (it.type === 'function_call_output') {
      const o = it as z.infer<typeof functionOutput>;
      turns.push({ role: 'user', content: [{ toolResult: { toolUseId: o.call_id, content: [{ text: o.output }] } }] });
    }
    // Reasoning items from an earlier answer carry nothing the model reads again.
  }
  const converse: Record<string, unknown> = { messages: mergeRoles(turns) };
  if (system.length) converse.system = system;
  const inferenceConfig = Object.fromEntries(
    Object.entries({ maxTokens: req.max_output_tokens ?? undefined, temperature: req.temperature ?? undefined, topP: req.top_p ?? undefined }).filter(([, v]) => v !== undefined),
  );
  if (Object.keys(inferenceConfig).length) converse.inferenceConfig = inferenceConfig;
  if (req.tools?.length && req.tool_choice !== 'none') {
    converse.toolConfig = {
      tools: req.tools.map((t) => ({ toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.parameters ?? { type: 'object', properties: {} } } } })),
      ...(req.tool_choice === 'required' ? { toolChoice: { any: {} } } : typeof req.tool_choice === 'object' ? { toolChoice: { tool: { name: req.tool_choice.name } } } : {}),
    };
  }
  if (req.reasoning?.effort) converse.additionalModelRequestFields = { reasoning_effort: req.reasoning.effort };
  if (req.text?.format?.type === 'json_schema') converse.outputConfig = jsonSchemaOutput(req.text.format);
  return converse as ConverseRequest;
}

const itemId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`;

/** Responses' output items, as a response holds them. */
type OutputItem =
  | { type: 'reasoning'; id: string; summary: never[]; content: { type: 'reasoning_text'; text: string }[] }
  | { type: 'message'; id: string; status: 'completed'; role: 'assistant'; content: { type: 'output_text'; text: string; annotations: never[]; logprobs: never[] }[] }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' };

/** The output items of a Converse answer. */
function outputItems(content: Block[]): OutputItem[] {
  const items: OutputItem[] = [];
  let message: Extract<OutputItem, { type: 'message' }> | undefined;
  for (const b of content) {
    if (b.reasoningContent?.reasoningText) {
      items.push({ type: 'reasoning', id: itemId('rs'), summary: [], content: [{ type: 'reasoning_text', text: b.reasoningContent.reasoningText.text }] });
    } else if (b.text !== undefined) {
      if (!message) items.push((message = { type: 'message', id: itemId('msg'), status: 'completed', role: 'assistant', content: [] }));
      message.content.push({ type: 'output_text', text: b.text, annotations: [], logprobs: [] });
    } else if (b.toolUse) {
      items.push({ type: 'function_call', id: itemId('fc'), call_id: b.toolUse.toolUseId, name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}), status: 'completed' });
    }
  }
  return items;
}

function responseObject(req: ResponseRequest, id: string, created: number, result?: ConverseResult) {
  const incomplete = result?.stopReason === 'max_tokens';
  return {
    id,
    object: 'response',
    created_at: created,
    status: !result ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model: req.model,
    output: result ? outputItems(result.output.message.content) : [],
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: req.temperature ?? 1,
    text: { format: req.text?.format ?? { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: (req.tools ?? []).map((t) => ({ ...t, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? true })),
    top_p: req.top_p ?? 1,
    truncation: 'disabled',
    usage: result
      ? { input_tokens: result.usage.inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: result.usage.outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: result.usage.totalTokens }
      : null,
    user: req.user ?? null,
    metadata: req.metadata ?? {},
  };
}

export async function responses(body: Uint8Array, ctx: OpContext): Promise<Answer> {
  const req = parseBody(responseRequest, body);
  if (req.background) throw new ApiError(400, 'Background responses are not supported on the bedrock-runtime endpoint; requests are always synchronous.', 'background', 'unsupported_parameter');
  if (req.previous_response_id) throw new ApiError(400, 'previous_response_id is not supported on the bedrock-runtime endpoint: responses are not stored. Send the conversation as input items.', 'previous_response_id', 'unsupported_parameter');
  const model = servedModel(ctx, req.model, '/v1/responses');
  const request = toConverse(req);
  const id = itemId('resp');
  const created = epochSeconds(ctx);
  // The stream is cut from the same answer, so streamed and whole responses agree.
  const result = await answer(ctx, model, request);
  const done = responseObject(req, id, created, result);
  if (!req.stream) return new Answer(200, { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId }, JSON.stringify(done));
  return new Answer(200, { ...SSE_HEADERS, 'x-amzn-RequestId': ctx.requestId }, events(responseObject(req, id, created), done));
}

/** The Responses streaming events for a finished response, item by item, text in word-sized deltas. */
async function* events(started: ReturnType<typeof responseObject>, done: ReturnType<typeof responseObject>): AsyncGenerator<Uint8Array> {
  let seq = 0;
  const ev = (type: string, members: Record<string, unknown>) => sse({ type, sequence_number: seq++, ...members }, type);
  try {
    yield ev('response.created', { response: started });
    yield ev('response.in_progress', { response: started });
    for (const [output_index, item] of done.output.entries()) {
      if (item.type === 'message') {
        yield ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
        for (const [content_index, part] of item.content.entries()) {
          const base = { item_id: item.id, output_index, content_index };
          yield ev('response.content_part.added', { ...base, part: { ...part, text: '' } });
          for (const delta of words(part.text)) yield ev('response.output_text.delta', { ...base, delta, logprobs: [] });
          yield ev('response.output_text.done', { ...base, text: part.text, logprobs: [] });
          yield ev('response.content_part.done', { ...base, part });
        }
      } else if (item.type === 'function_call') {
        yield ev('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
        yield ev('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: item.arguments });
        yield ev('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: item.arguments });
      } else {
        yield ev('response.output_item.added', { output_index, item: { ...item, content: [] } });
        for (const [content_index, part] of item.content.entries()) {
          for (const delta of words(part.text)) yield ev('response.reasoning_text.delta', { item_id: item.id, output_index, content_index, delta });
          yield ev('response.reasoning_text.done', { item_id: item.id, output_index, content_index, text: part.text });
        }
      }
      yield ev('response.output_item.done', { output_index, item });
    }
    yield ev(done.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: done });
  } catch (e) {
    yield ev('error', { ...(errorBody('openai', e).body.error as object) });
  }
}
