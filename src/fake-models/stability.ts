// Stability AI SDXL: text-to-image, answering base64 PNG artifacts.
import { AwsError } from '../emulator/errors.js';
import { solidPng } from './png.js';
import { any, arr, check, int, num, obj, str } from './schema.js';
import { seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule } from './types.js';

/** The width×height pairs SDXL 1.0 accepts. */
const SIZES = ['1024x1024', '1152x896', '1216x832', '1344x768', '1536x640', '640x1536', '768x1344', '832x1216', '896x1152'];

const SCHEMA = obj(
  {
    text_prompts: arr(obj({ text: str({ minLength: 1, maxLength: 2000 }), weight: num() }, ['text']), 1),
    height: int(128), width: int(128), cfg_scale: num(0, 35), clip_guidance_preset: str({ enum: ['FAST_BLUE', 'FAST_GREEN', 'NONE', 'SIMPLE', 'SLOW', 'SLOWER', 'SLOWEST'] }),
    sampler: str(), samples: int(1, 1), seed: int(0, 4294967295), steps: int(10, 150), style_preset: str(), extras: any, init_image: str(), init_image_mode: str(), image_strength: num(0, 1),
  },
  ['text_prompts'],
);

export const stabilitySdxl: FamilyModule = {
  family: 'stability-sdxl',
  invoke(body, ctx) {
    const b = check<{ text_prompts: { text: string }[]; height?: number; width?: number; seed?: number; init_image_mode?: string }>(SCHEMA, body);
    const size = `${b.width ?? 1024}x${b.height ?? 1024}`;
    if (ctx.modelId.endsWith('v1') && !b.init_image_mode && !SIZES.includes(size)) {
      throw new AwsError('ValidationException', `Malformed input request: invalid dimensions ${size}: SDXL allows ${SIZES.join(', ')}, please reformat your input and try again.`);
    }
    const rand = seeded(ctx.modelId, body);
    const seed = b.seed ?? Math.floor(rand() * 4294967295);
    const colour = [rand(), rand(), rand()].map((x) => Math.floor(x * 255)) as [number, number, number];
    return {
      body: { result: 'success', artifacts: [{ seed, base64: solidPng(8, 8, colour).toString('base64'), finishReason: 'SUCCESS' }] },
      inputTokens: b.text_prompts.reduce((n, p) => n + countTokens(p.text), 0),
      outputTokens: 0,
    };
  },
};
