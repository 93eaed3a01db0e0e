// DeepSeek-R1 on InvokeModel: a text-completion body, {prompt, temperature, top_p, max_tokens, stop} → {choices:
// [{text, stop_reason}]} (model-parameters-deepseek). DeepSeek V3.1 takes the OpenAI chat body (openai.ts).
import { arr, checkBody, int, num, obj, str } from './schema.js';
import { chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const SCHEMA = obj({ prompt: str({ minLength: 1 }), temperature: num(0, 1), top_p: num(0, 1), max_tokens: int(1, 32_768), stop: arr(str(), 0, 10) }, ['prompt']);

function answer(body: unknown, ctx: InvokeContext) {
  const b = checkBody<{ prompt: string; max_tokens?: number; stop?: string[] }>(SCHEMA, body);
  // The page's own advice keeps answers at 8,192 tokens or fewer; that is the default here.
  const gen = generate(seeded(ctx.modelId, body), b.max_tokens ?? 8_192, b.stop);
  return { gen, stop_reason: gen.reason === 'length' ? 'length' : 'stop', inputTokens: countTokens(b.prompt) };
}

export const deepseekR1: FamilyModule = {
  family: 'deepseek-r1',
  invoke(body, ctx) {
    const { gen, stop_reason, inputTokens } = answer(body, ctx);
    return { body: { choices: [{ text: gen.text, stop_reason }] }, inputTokens, outputTokens: gen.tokens, stopReason: stop_reason };
  },
  // The page documents no stream chunk; each chunk is the response shape with a piece of the text, the stop reason last.
  stream(body, ctx) {
    const { gen, stop_reason, inputTokens } = answer(body, ctx);
    const parts = chunks(gen.text);
    const events = parts.map((text, i) => ({ choices: [{ text, stop_reason: i === parts.length - 1 ? stop_reason : null }] }));
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};
