// Meta Llama 2, 3, 3.1, 3.2, 3.3, 4: one prompt body for every generation; the vision models (3.2 11B/90B, Llama 4
// Scout and Maverick) also take `images`.
import { getModel } from '../registry/index.js';
import { arr, checkBody, int, num, obj, str, type Schema } from './schema.js';
import { chunks, generate, seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

interface LlamaBody {
  prompt: string;
  max_gen_len?: number;
}

const fields = (maxGenLen: number) => ({ prompt: str({ minLength: 1 }), temperature: num(0, 1), top_p: num(0, 1), max_gen_len: int(1, maxGenLen) });
const TEXT = obj(fields(2048), ['prompt']);
// Llama 3.2 11B/90B read base64 images, each placed where the prompt has an <|image|> token; text models have no such key.
const VISION = obj({ ...fields(2048), images: arr(str({ minLength: 1 })) }, ['prompt']);
// Llama 4 Scout and Maverick are multimodal, whether or not the registry lists them yet, and answer up to 8K tokens
// (their model cards: "Max output tokens: 8K").
const LLAMA4 = obj({ ...fields(8192), images: arr(str({ minLength: 1 })) }, ['prompt']);

const schemaFor = (modelId: string): Schema => (/llama4-/.test(modelId) ? LLAMA4 : getModel(modelId)?.inputModalities.includes('IMAGE') ? VISION : TEXT);

function answer(body: unknown, ctx: InvokeContext) {
  const b = checkBody<LlamaBody>(schemaFor(ctx.modelId), body);
  const gen = generate(seeded(ctx.modelId, body), b.max_gen_len ?? 512);
  return { gen, stop_reason: gen.reason === 'length' ? 'length' : 'stop', inputTokens: countTokens(b.prompt) };
}

export const llama: FamilyModule = {
  family: 'llama',
  invoke(body, ctx) {
    const { gen, stop_reason, inputTokens } = answer(body, ctx);
    return {
      body: { generation: gen.text, prompt_token_count: inputTokens, generation_token_count: gen.tokens, stop_reason },
      inputTokens,
      outputTokens: gen.tokens,
      stopReason: stop_reason,
    };
  },
  // Each chunk carries the running generation count; the prompt count comes once, the stop reason last.
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
