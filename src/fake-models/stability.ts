// Stability AI SDXL: text-to-image and image-to-image, answering one base64 PNG artifact of the requested size.
import { ModelRefusal } from './errors.js';
import { solidPng } from './png.js';
import { arr, checkBody, int, num, obj, str } from './schema.js';
import { seeded } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule } from './types.js';

/** The width×height pairs SDXL 1.0 generates. */
const SIZES = ['1024x1024', '1152x896', '1216x832', '1344x768', '1536x640', '640x1536', '768x1344', '832x1216', '896x1152'];
const SAMPLERS = ['DDIM', 'DDPM', 'K_DPMPP_2M', 'K_DPMPP_2S_ANCESTRAL', 'K_DPM_2', 'K_DPM_2_ANCESTRAL', 'K_EULER', 'K_EULER_ANCESTRAL', 'K_HEUN', 'K_LMS'];
const STYLES = [
  '3d-model', 'analog-film', 'anime', 'cinematic', 'comic-book', 'digital-art', 'enhance', 'fantasy-art', 'isometric', 'line-art',
  'low-poly', 'modeling-compound', 'neon-punk', 'origami', 'photographic', 'pixel-art', 'tile-texture',
];
const unit = num(0, 1);

const SCHEMA = obj(
  {
    text_prompts: arr(obj({ text: str({ maxLength: 2000 }), weight: num() }, ['text']), 1),
    height: int(), width: int(), cfg_scale: num(0, 35),
    clip_guidance_preset: str({ enum: ['FAST_BLUE', 'FAST_GREEN', 'NONE', 'SIMPLE', 'SLOW', 'SLOWER', 'SLOWEST'] }),
    sampler: str({ enum: SAMPLERS }), samples: int(1, 1), seed: int(0, 4294967295), steps: int(10, 50), style_preset: str({ enum: STYLES }),
    extras: obj({}, [], true),
    init_image: str(), init_image_mode: str({ enum: ['IMAGE_STRENGTH', 'STEP_SCHEDULE'] }), image_strength: unit, step_schedule_start: unit, step_schedule_end: unit,
    mask_source: str({ enum: ['MASK_IMAGE_WHITE', 'MASK_IMAGE_BLACK', 'INIT_IMAGE_ALPHA'] }), mask_image: str(),
  },
  ['text_prompts'],
);

interface SdxlBody {
  text_prompts: { text: string }[];
  height?: number;
  width?: number;
  seed?: number;
  init_image?: string;
}

/** An init image's size, read from its PNG header; image-to-image answers at the source image's size. */
function pngSize(base64: string): [number, number] | undefined {
  const head = Buffer.from(base64.slice(0, 32), 'base64');
  return head.length >= 24 && head.toString('latin1', 12, 16) === 'IHDR' ? [head.readUInt32BE(16), head.readUInt32BE(20)] : undefined;
}

function outputSize(b: SdxlBody, modelId: string): [number, number] {
  if (b.init_image) return pngSize(b.init_image) ?? [1024, 1024];
  const [width, height] = [b.width ?? 1024, b.height ?? 1024];
  // Stability's own check, passed through by Bedrock: SDXL 1.0 has fixed sizes, 0.8 any multiple of 64.
  if (modelId.endsWith('-v1') && !SIZES.includes(`${width}x${height}`)) {
    throw new ModelRefusal(`for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed dimensions are ${SIZES.join(', ')}, but we received ${width}x${height}`);
  }
  if (width % 64 || height % 64 || width < 128 || height < 128) {
    throw new ModelRefusal(`height and width must be specified in increments of 64, but we received ${width}x${height}`);
  }
  return [width, height];
}

export const stabilitySdxl: FamilyModule = {
  family: 'stability-sdxl',
  invoke(body, ctx) {
    const b = checkBody<SdxlBody>(SCHEMA, body);
    const [width, height] = outputSize(b, ctx.modelId);
    const rand = seeded(ctx.modelId, body);
    // Seed 0 or none means "pick one"; the pick is derived from the body, so it repeats.
    const seed = b.seed || Math.floor(rand() * 4294967295) + 1;
    const colour = [rand(), rand(), rand()].map((x) => Math.floor(x * 256)) as [number, number, number];
    return {
      body: { result: 'success', artifacts: [{ seed, base64: solidPng(width, height, colour).toString('base64'), finishReason: 'SUCCESS' }] },
      inputTokens: b.text_prompts.reduce((n, p) => n + countTokens(p.text), 0),
      outputTokens: 0,
    };
  },
};
