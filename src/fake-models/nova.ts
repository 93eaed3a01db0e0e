// Amazon Nova (Micro, Lite, Pro): the messages-v1 schema with `inferenceConfig`.
import { AwsError } from '../emulator/errors.js';
import { any, arr, check, int, num, obj, str } from './schema.js';
import { chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const block = obj({ text: str(), image: any, video: any, document: any, toolUse: any, toolResult: any, cachePoint: any, reasoningContent: any });
const SCHEMA = obj(
  {
    schemaVersion: str({ enum: ['messages-v1'] }),
    messages: arr(obj({ role: str({ enum: ['user', 'assistant'] }), content: arr(block, 1) }, ['role', 'content']), 1),
    system: arr(obj({ text: str() }, ['text'])),
    inferenceConfig: obj({ max_new_tokens: int(1, 10_000), temperature: num(0, 1), top_p: num(0, 1), top_k: int(0, 128), stopSequences: arr(str(), 0, 4) }),
    toolConfig: any,
  },
  ['messages'],
);

type Body = { messages: { role: string; content: { text?: string; toolResult?: unknown }[] }[]; system?: { text: string }[]; inferenceConfig?: { max_new_tokens?: number; stopSequences?: string[] } };

function answer(body: unknown, ctx: InvokeContext) {
  const b = check<Body>(SCHEMA, body);
  if (b.messages[0].role !== 'user') throw new AwsError('ValidationException', 'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (let i = 1; i < b.messages.length; i++) {
    if (b.messages[i].role === b.messages[i - 1].role) throw new AwsError('ValidationException', 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
  }
  const text = [...(b.system ?? []).map((s) => s.text), ...b.messages.flatMap((m) => m.content.map((c) => c.text ?? ''))];
  const inputTokens = text.reduce((n, t) => n + countTokens(t), 0) || 1;
  const gen = generate(seeded(ctx.modelId, body), b.inferenceConfig?.max_new_tokens ?? 5_000, b.inferenceConfig?.stopSequences);
  const stopReason = gen.reason === 'length' ? 'max_tokens' : gen.reason === 'stop' ? 'stop_sequence' : 'end_turn';
  return { gen, stopReason, inputTokens };
}

export const nova: FamilyModule = {
  family: 'nova',
  invoke(body, ctx) {
    const { gen, stopReason, inputTokens } = answer(body, ctx);
    return {
      body: {
        output: { message: { content: [{ text: gen.text }], role: 'assistant' } },
        stopReason,
        usage: { inputTokens, outputTokens: gen.tokens, totalTokens: inputTokens + gen.tokens, cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
      },
      inputTokens,
      outputTokens: gen.tokens,
      stopReason,
    };
  },
  stream(body, ctx) {
    const { gen, stopReason, inputTokens } = answer(body, ctx);
    const events: Record<string, unknown>[] = [
      { messageStart: { role: 'assistant' } },
      ...chunks(gen.text).map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })),
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason } },
      { metadata: { usage: { inputTokens, outputTokens: gen.tokens } } },
    ];
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};
