// Stability SDXL, checked against AWS's diffusion-1-0 text-to-image and image-to-image pages: valid bodies get
// {result: success, artifacts: [{seed, base64, finishReason}]} holding a real PNG of the requested size (read back
// here with zlib, chunk CRCs and all), deterministically; invalid bodies get a ValidationException and nothing else.
import { crc32, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stabilitySdxl } from '../../src/fake-models/stability.js';
import { fixture, form, validationMessage } from './helpers.js';

const MODEL = 'stability.stable-diffusion-xl-v1';
const SIZES: [number, number][] = [[1024, 1024], [1152, 896], [1216, 832], [1344, 768], [1536, 640], [640, 1536], [768, 1344], [832, 1216], [896, 1152]];
const STYLES = ['3d-model', 'analog-film', 'anime', 'cinematic', 'comic-book', 'digital-art', 'enhance', 'fantasy-art', 'isometric', 'line-art', 'low-poly', 'modeling-compound', 'neon-punk', 'origami', 'photographic', 'pixel-art', 'tile-texture'];
const SAMPLERS = ['DDIM', 'DDPM', 'K_DPMPP_2M', 'K_DPMPP_2S_ANCESTRAL', 'K_DPM_2', 'K_DPM_2_ANCESTRAL', 'K_EULER', 'K_EULER_ANCESTRAL', 'K_HEUN', 'K_LMS'];

const valid = fc
  .tuple(
    fc.record(
      {
        text_prompts: fc.array(fc.record({ text: fc.string({ maxLength: 200 }), weight: fc.double({ min: -2, max: 2, noNaN: true }) }, { requiredKeys: ['text'] }), { minLength: 1, maxLength: 3 }),
        cfg_scale: fc.double({ min: 0, max: 35, noNaN: true }),
        clip_guidance_preset: fc.constantFrom('FAST_BLUE', 'FAST_GREEN', 'NONE', 'SIMPLE', 'SLOW', 'SLOWER', 'SLOWEST'),
        sampler: fc.constantFrom(...SAMPLERS),
        samples: fc.constant(1),
        seed: fc.integer({ min: 0, max: 4294967295 }),
        steps: fc.integer({ min: 10, max: 50 }),
        style_preset: fc.constantFrom(...STYLES),
        extras: fc.constant({}),
      },
      { requiredKeys: ['text_prompts'] },
    ),
    fc.option(fc.constantFrom(...SIZES), { nil: undefined }),
  )
  .map(([body, size]) => (size ? { ...body, width: size[0], height: size[1] } : body));

/** Reads a PNG the long way: signature, chunk CRCs, IHDR, and the inflated scanlines' length. */
function readPng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    types.push(type);
    at += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[bytes[8 + 8 + 9] as 0 | 2 | 4 | 6];
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));
  return { width, height };
}

function check(o: any, body: any) {
  expect(Object.keys(o).sort()).toEqual(['artifacts', 'result']);
  expect(o.result).toBe('success');
  expect(o.artifacts).toHaveLength(1);
  const [artifact] = o.artifacts;
  expect(Object.keys(artifact).sort()).toEqual(['base64', 'finishReason', 'seed']);
  expect(artifact.finishReason).toBe('SUCCESS');
  expect(Number.isInteger(artifact.seed) && artifact.seed >= 0 && artifact.seed <= 4294967295).toBe(true);
  // A seed of 0 (or none) asks for a random one.
  if (body.seed) expect(artifact.seed).toBe(body.seed);
  else expect(artifact.seed).toBeGreaterThan(0);
  return readPng(Buffer.from(artifact.base64, 'base64'));
}

const BAD: Record<string, unknown[]> = {
  text_prompts: [[], 'a cat', [{ weight: 1 }], [{ text: 5 }], [{ text: 'x'.repeat(2001) }], [{ text: 'x', weight: 'heavy' }]],
  height: [512, 1000, '1024', 1024.5],
  width: [513, 2048],
  cfg_scale: [-1, 35.5, 'seven'],
  clip_guidance_preset: ['FAST_RED', 1],
  sampler: ['EULER', null],
  samples: [0, 2],
  seed: [-1, 4294967296, 1.5],
  steps: [9, 51, 150],
  style_preset: ['watercolor'],
  extras: ['x', [1]],
};
const KNOWN = new Set([...Object.keys(BAD), 'init_image', 'init_image_mode', 'image_strength', 'step_schedule_start', 'step_schedule_end', 'mask_source', 'mask_image']);
const invalidBody = fc.oneof(
  valid.map(({ text_prompts: _, ...rest }) => rest),
  fc.tuple(valid, fc.constantFrom(...Object.entries(BAD))).chain(([b, [key, values]]) => fc.constantFrom(...values).map((v) => ({ ...b, [key]: v }))),
  fc.tuple(valid, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k))).map(([b, k]) => ({ ...b, [k]: 1 })),
  fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.string())),
);

describe('stabilitySdxl', () => {
  it('answers every valid body with one PNG of the requested size, deterministically', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const out = stabilitySdxl.invoke(body, { modelId: MODEL });
        expect(check(out.body, body)).toEqual({ width: (body as any).width ?? 1024, height: (body as any).height ?? 1024 });
        expect(out.outputTokens).toBe(0);
        expect(stabilitySdxl.invoke(structuredClone(body), { modelId: MODEL }).body).toEqual(out.body);
      }),
      { numRuns: 30 },
    );
  });

  it('answers every record of fixtures/sample-stability-sdxl.jsonl', () => {
    const bodies = fixture('stability-sdxl');
    expect(bodies).toHaveLength(5);
    for (const body of bodies) check(stabilitySdxl.invoke(body, { modelId: MODEL }).body, body);
  });

  it('answers different prompts with different images', () => {
    const image = (text: string) => (stabilitySdxl.invoke({ text_prompts: [{ text }], width: 640, height: 1536 }, { modelId: MODEL }).body as any).artifacts[0];
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(image(a)).not.toEqual(image(b));
      }),
      { numRuns: 20 },
    );
  });

  it('answers image-to-image at the init image size', () => {
    const init = (stabilitySdxl.invoke({ text_prompts: [{ text: 'a harbour' }], width: 1536, height: 640 }, { modelId: MODEL }).body as any).artifacts[0].base64;
    const body = { text_prompts: [{ text: 'at night' }], init_image: init, init_image_mode: 'IMAGE_STRENGTH', image_strength: 0.35 };
    expect(check(stabilitySdxl.invoke(body, { modelId: MODEL }).body, body)).toEqual({ width: 1536, height: 640 });
  });

  it('rejects invalid bodies with a ValidationException only, in Bedrock words', () => {
    fc.assert(fc.property(invalidBody, (body) => void validationMessage(() => stabilitySdxl.invoke(body, { modelId: MODEL }))), { numRuns: 200 });
    expect(validationMessage(() => stabilitySdxl.invoke({ cfg_scale: 7 }, { modelId: MODEL }))).toBe(form('#: required key [text_prompts] not found'));
    expect(validationMessage(() => stabilitySdxl.invoke({ text_prompts: [{ text: 'x' }], steps: 51 }, { modelId: MODEL }))).toBe(form('#/steps: 51 is not less or equal to 50'));
    expect(validationMessage(() => stabilitySdxl.invoke({ text_prompts: [{ text: 'x' }], width: 512, height: 512 }, { modelId: MODEL }))).toContain('but we received 512x512');
  });

  it('does not stream', () => {
    expect(stabilitySdxl.stream).toBeUndefined();
  });
});
