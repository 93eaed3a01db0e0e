// Amazon Nova understanding models (Micro, Lite, Pro, Premier, Nova 2): the messages-v1 body with `inferenceConfig`,
// `toolConfig` and, on Nova 2, `reasoningConfig`. What differs per model is keyed by the model id.
import { ModelRefusal } from './errors.js';
import { any, arr, checkBody, int, num, obj, str, type Schema } from './schema.js';
import { dataForSchema } from './schema-data.js';
import { alnumId, chunks, generate, seeded, type Random } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const block = obj({ text: str(), image: any, video: any, audio: any, document: any, toolUse: any, toolResult: any, cachePoint: any, reasoningContent: any });
const REASONING = obj({ type: str({ enum: ['enabled', 'disabled'] }), maxReasoningEffort: str({ enum: ['low', 'medium', 'high'] }) }, ['type']);
// AWS's pages name the inference parameters two ways: the complete request schema and the Invoke API pages use
// camelCase (maxTokens, topP, topK), the older model-parameters examples snake_case (max_new_tokens, top_p, top_k).
// Bedrock takes both; so does the fake model (FORMAT-NOTES.md).
const inference = (reasoning: boolean) =>
  obj({
    maxTokens: int(1, 10_000), max_new_tokens: int(1, 10_000), temperature: num(0, 1), topP: num(0, 1), top_p: num(0, 1),
    topK: int(0, 128), top_k: int(0, 128), stopSequences: arr(str(), 0, 4),
    ...(reasoning ? { reasoningConfig: REASONING } : {}),
  });
const TOOL_CONFIG = obj(
  {
    tools: arr(obj({ toolSpec: obj({ name: str({ minLength: 1, maxLength: 64 }), description: str(), inputSchema: obj({ json: any }, ['json']) }, ['name', 'inputSchema']), cachePoint: any }), 1),
    toolChoice: obj({ auto: obj({}), any: obj({}), tool: obj({ name: str() }, ['name']) }),
  },
  ['tools'],
);
const schema = (reasoning: boolean): Schema =>
  obj(
    {
      schemaVersion: str({ enum: ['messages-v1'] }),
      messages: arr(obj({ role: str({ enum: ['user', 'assistant'] }), content: arr(block, 1) }, ['role', 'content']), 1),
      system: arr(obj({ text: str(), cachePoint: any })),
      inferenceConfig: inference(reasoning),
      toolConfig: TOOL_CONFIG,
      // Nova 2's pages show reasoningConfig inside inferenceConfig and, in Converse's additionalModelRequestFields
      // copied into Invoke bodies, next to it at the top level; both are taken.
      ...(reasoning ? { reasoningConfig: REASONING } : {}),
    },
    ['messages'],
  );
const NOVA1 = schema(false);
const NOVA2 = schema(true);

interface Tool {
  toolSpec?: { name: string; inputSchema: { json: unknown } };
}
interface Inference {
  maxTokens?: number;
  max_new_tokens?: number;
  stopSequences?: string[];
  reasoningConfig?: { type: string };
}
interface Body {
  messages: { role: string; content: { text?: string; image?: unknown; video?: unknown; toolResult?: unknown }[] }[];
  system?: { text?: string }[];
  inferenceConfig?: Inference;
  reasoningConfig?: { type: string };
  toolConfig?: { tools: Tool[]; toolChoice?: { auto?: object; any?: object; tool?: { name: string } } };
}

const isNova2 = (modelId: string) => /nova-2-/.test(modelId);
const bad = (message: string) => new ModelRefusal(message);

/** The tool a call answers with, if any: the one toolChoice names, any tool for `any`, or (auto) one when no tool result is being answered. */
function chooseTool(b: Body, rand: Random): { spec: NonNullable<Tool['toolSpec']>; forced: boolean } | undefined {
  const specs = (b.toolConfig?.tools ?? []).flatMap((t) => (t.toolSpec ? [t.toolSpec] : []));
  if (!specs.length) return undefined;
  const choice = b.toolConfig?.toolChoice;
  if (choice?.tool) {
    const spec = specs.find((s) => s.name === choice.tool!.name);
    if (!spec) throw bad(`The tool ${choice.tool.name} named in toolChoice isn't in toolConfig.tools. Add it there, or name one of its tools.`);
    return { spec, forced: true };
  }
  if (choice?.any) return { spec: specs[Math.floor(rand() * specs.length)], forced: true };
  const answeringResult = b.messages.at(-1)!.content.some((c) => c.toolResult);
  return answeringResult ? undefined : { spec: specs[Math.floor(rand() * specs.length)], forced: false };
}

function answer(body: unknown, ctx: InvokeContext) {
  const b = checkBody<Body>(isNova2(ctx.modelId) ? NOVA2 : NOVA1, body);
  if (b.messages[0].role !== 'user') throw bad('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (let i = 1; i < b.messages.length; i++) {
    if (b.messages[i].role === b.messages[i - 1].role) throw bad('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
  }
  // Nova Micro is text-only (the complete request schema: "Amazon Nova Micro does not support images or videos").
  if (/nova-micro/.test(ctx.modelId) && b.messages.some((m) => m.content.some((c) => c.image || c.video))) {
    throw bad("This model doesn't support the image content block that you provided. Try again with a model that supports image input.");
  }
  const config = b.inferenceConfig ?? {};
  const reasoning = (config.reasoningConfig ?? b.reasoningConfig)?.type === 'enabled';
  const text = [...(b.system ?? []).map((s) => s.text ?? ''), ...b.messages.flatMap((m) => m.content.map((c) => c.text ?? (c.toolResult ? JSON.stringify(c.toolResult) : '')))];
  const inputTokens = text.reduce((n, t) => n + countTokens(t), 0) || 1;
  const rand = seeded(ctx.modelId, body);
  const tool = chooseTool(b, rand);
  const content: Record<string, unknown>[] = [];
  // Nova 2 Lite redacts its reasoning: the block is there, its text is "[REDACTED]" (Nova 2 user guide, reasoning capabilities).
  if (reasoning) content.push({ reasoningContent: { reasoningText: { text: '[REDACTED]' } } });
  const gen = tool?.forced ? undefined : generate(rand, config.maxTokens ?? config.max_new_tokens ?? 5_000, config.stopSequences);
  if (gen) content.push({ text: gen.text });
  let stopReason = !gen ? 'tool_use' : gen.reason === 'length' ? 'max_tokens' : gen.reason === 'stop' ? 'stop_sequence' : 'end_turn';
  let outputTokens = gen?.tokens ?? 0;
  if (tool && (!gen || gen.reason === 'end')) {
    const input = dataForSchema(tool.spec.inputSchema.json, rand);
    content.push({ toolUse: { toolUseId: `tooluse_${alnumId(rand, 22)}`, name: tool.spec.name, input } });
    outputTokens += countTokens(JSON.stringify(input));
    stopReason = 'tool_use';
  }
  return { content, stopReason, inputTokens, outputTokens };
}

export const nova: FamilyModule = {
  family: 'nova',
  invoke(body, ctx) {
    const { content, stopReason, inputTokens, outputTokens } = answer(body, ctx);
    return {
      body: {
        output: { message: { content, role: 'assistant' } },
        stopReason,
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
      },
      inputTokens,
      outputTokens,
      stopReason,
    };
  },
  // The Invoke stream's events, as the Nova user guide's streaming examples read them: text and reasoning as
  // contentBlockDelta, a tool call as contentBlockStart (name, id) then its input as one JSON-string delta.
  stream(body, ctx) {
    const { content, stopReason, inputTokens, outputTokens } = answer(body, ctx);
    const events: Record<string, unknown>[] = [{ messageStart: { role: 'assistant' } }];
    content.forEach((c, contentBlockIndex) => {
      if ('text' in c) {
        for (const text of chunks(String(c.text))) events.push({ contentBlockDelta: { delta: { text }, contentBlockIndex } });
      } else if ('reasoningContent' in c) {
        events.push({ contentBlockDelta: { delta: { reasoningContent: { text: '[REDACTED]' } }, contentBlockIndex } });
      } else {
        const t = c.toolUse as { toolUseId: string; name: string; input: unknown };
        events.push({ contentBlockStart: { start: { toolUse: { toolUseId: t.toolUseId, name: t.name } }, contentBlockIndex } });
        events.push({ contentBlockDelta: { delta: { toolUse: { input: JSON.stringify(t.input) } }, contentBlockIndex } });
      }
      events.push({ contentBlockStop: { contentBlockIndex } });
    });
    events.push({ messageStop: { stopReason } }, { metadata: { usage: { inputTokens, outputTokens } } });
    return { events, inputTokens, outputTokens };
  },
};
