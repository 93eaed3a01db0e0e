// Meta Llama 2, 3, 3.1, 3.2, 3.3: one prompt body for every generation (3.2 vision adds `images`).
import { arr, check, int, num, obj, str } from './schema.js';
import { chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const SCHEMA = obj({ prompt: str({ minLength: 1 }), temperature: num(0, 1), top_p: num(0, 1), max_gen_len: int(1, 2048), images: arr(str()) }, ['prompt']);

function answer(body: unknown, ctx: InvokeContext) {
  const b = check<{ prompt: string; max_gen_len?: number }>(SCHEMA, body);
  const gen = generate(seeded(ctx.modelId, body), b.max_gen_len ?? 512);
  return { gen, stop_reason: gen.reason === 'length' ? 'length' : 'stop', inputTokens: countTokens(b.prompt) };
}

export const llama: FamilyModule = {
  family: 'llama',
  invoke(body, ctx) {
    const { gen, stop_reason, inputTokens } = answer(body, ctx);
    return { body: { generation: gen.text, prompt_token_count: inputTokens, generation_token_count: gen.tokens, stop_reason }, inputTokens, outputTokens: gen.tokens, stopReason: stop_reason };
  },
  stream(body, ctx) {
    const { gen, stop_reason, inputTokens } = answer(body, ctx);
    const parts = chunks(gen.text);
    const events = parts.map((generation, i) => ({
      generation,
      prompt_token_count: i === 0 ? inputTokens : null,
      generation_token_count: countTokens(parts.slice(0, i + 1).join('')),
      stop_reason: i === parts.length - 1 ? stop_reason : null,
    }));
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};
