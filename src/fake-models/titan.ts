// Amazon Titan: Text (Express, Lite, Premier), Text Embeddings v1 and v2, Multimodal Embeddings, Image Generator.
import { AwsError } from '../emulator/errors.js';
import { solidPng } from './png.js';
import { any, arr, bool, check, int, num, obj, str } from './schema.js';
import { chunks, generate, seeded, vector } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule, InvokeContext } from './types.js';

const MAX_TEXT_TOKENS: Record<string, number> = { 'amazon.titan-text-lite-v1': 4096, 'amazon.titan-text-premier-v1:0': 3072 };

const TEXT_SCHEMA = obj(
  {
    inputText: str(),
    textGenerationConfig: obj({ temperature: num(0, 1), topP: num(0, 1), maxTokenCount: int(0, 8192), stopSequences: arr(str()) }),
  },
  ['inputText'],
);

function answerText(body: unknown, ctx: InvokeContext) {
  const b = check<{ inputText: string; textGenerationConfig?: { maxTokenCount?: number; stopSequences?: string[] } }>(TEXT_SCHEMA, body);
  const max = b.textGenerationConfig?.maxTokenCount ?? 512;
  const limit = MAX_TEXT_TOKENS[ctx.modelId] ?? 8192;
  if (max > limit) throw new AwsError('ValidationException', `Malformed input request: #/textGenerationConfig/maxTokenCount: ${max} is not less or equal to ${limit}, please reformat your input and try again.`);
  const gen = generate(seeded(ctx.modelId, body), max, b.textGenerationConfig?.stopSequences);
  const completionReason = gen.reason === 'length' ? 'LENGTH' : gen.reason === 'stop' ? 'STOP_CRITERIA_MET' : 'FINISH';
  return { gen, completionReason, inputTokens: countTokens(b.inputText) || 1 };
}

export const titanText: FamilyModule = {
  family: 'titan-text',
  invoke(body, ctx) {
    const { gen, completionReason, inputTokens } = answerText(body, ctx);
    return {
      body: { inputTextTokenCount: inputTokens, results: [{ tokenCount: gen.tokens, outputText: gen.text, completionReason }] },
      inputTokens,
      outputTokens: gen.tokens,
      stopReason: completionReason,
    };
  },
  stream(body, ctx) {
    const { gen, completionReason, inputTokens } = answerText(body, ctx);
    const parts = chunks(gen.text);
    let total = 0;
    const events = parts.map((outputText, index) => {
      total += countTokens(outputText);
      const last = index === parts.length - 1;
      return { outputText, index, totalOutputTextTokenCount: last ? gen.tokens : total, completionReason: last ? completionReason : null, inputTextTokenCount: index === 0 ? inputTokens : null };
    });
    return { events, inputTokens, outputTokens: gen.tokens };
  },
};

export const titanEmbedV1: FamilyModule = {
  family: 'titan-embed-text-v1',
  invoke(body, ctx) {
    const b = check<{ inputText: string }>(obj({ inputText: str({ minLength: 1 }) }, ['inputText']), body);
    const inputTokens = countTokens(b.inputText);
    return { body: { embedding: vector(seeded(ctx.modelId, b.inputText), 1536, false), inputTextTokenCount: inputTokens }, inputTokens, outputTokens: 0 };
  },
};

export const titanEmbedV2: FamilyModule = {
  family: 'titan-embed-text-v2',
  invoke(body, ctx) {
    const b = check<{ inputText: string; dimensions?: number; normalize?: boolean; embeddingTypes?: string[] }>(
      obj({ inputText: str({ minLength: 1, maxLength: 50_000 }), dimensions: { type: 'integer', enum: [256, 512, 1024] }, normalize: bool, embeddingTypes: arr(str({ enum: ['float', 'binary'] }), 1, 2) }, ['inputText']),
      body,
    );
    const embedding = vector(seeded(ctx.modelId, b.inputText), b.dimensions ?? 1024, b.normalize ?? true);
    const inputTokens = countTokens(b.inputText);
    const byType = b.embeddingTypes && {
      ...(b.embeddingTypes.includes('float') ? { float: embedding } : {}),
      ...(b.embeddingTypes.includes('binary') ? { binary: embedding.map((x) => (x > 0 ? 1 : 0)) } : {}),
    };
    return { body: { embedding, ...(byType ? { embeddingsByType: byType } : {}), inputTextTokenCount: inputTokens }, inputTokens, outputTokens: 0 };
  },
};

export const titanEmbedImage: FamilyModule = {
  family: 'titan-embed-image',
  invoke(body, ctx) {
    const b = check<{ inputText?: string; inputImage?: string; embeddingConfig?: { outputEmbeddingLength?: number } }>(
      obj({ inputText: str({ maxLength: 100_000 }), inputImage: str(), embeddingConfig: obj({ outputEmbeddingLength: { type: 'integer', enum: [256, 384, 1024] } }) }),
      body,
    );
    if (b.inputText === undefined && b.inputImage === undefined) {
      throw new AwsError('ValidationException', 'Malformed input request: At least one of inputText or inputImage must be provided, please reformat your input and try again.');
    }
    if (b.inputImage !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(b.inputImage)) {
      throw new AwsError('ValidationException', 'Malformed input request: #/inputImage: string is not valid base64, please reformat your input and try again.');
    }
    const inputTokens = countTokens(b.inputText ?? '');
    const embedding = vector(seeded(ctx.modelId, b.inputText ?? '', b.inputImage ?? ''), b.embeddingConfig?.outputEmbeddingLength ?? 1024, true);
    return { body: { embedding, inputTextTokenCount: inputTokens }, inputTokens, outputTokens: 0 };
  },
};

const SIZES = [512, 768, 1024, 1152, 1173, 1280, 1408];
export const titanImage: FamilyModule = {
  family: 'titan-image',
  invoke(body, ctx) {
    const b = check<{ taskType: string; textToImageParams?: { text: string }; imageGenerationConfig?: { numberOfImages?: number; height?: number; width?: number } }>(
      obj(
        {
          taskType: str({ enum: ['TEXT_IMAGE', 'INPAINTING', 'OUTPAINTING', 'IMAGE_VARIATION', 'COLOR_GUIDED_GENERATION', 'BACKGROUND_REMOVAL'] }),
          textToImageParams: obj({ text: str({ minLength: 1, maxLength: 512 }), negativeText: str({ minLength: 1, maxLength: 512 }) }, ['text']),
          inPaintingParams: any, outPaintingParams: any, imageVariationParams: any, colorGuidedGenerationParams: any, backgroundRemovalParams: any,
          imageGenerationConfig: obj({ numberOfImages: int(1, 5), height: { type: 'integer', enum: SIZES }, width: { type: 'integer', enum: SIZES }, cfgScale: num(1.1, 10), seed: int(0, 2147483646), quality: str({ enum: ['standard', 'premium'] }) }),
        },
        ['taskType'],
      ),
      body,
    );
    if (b.taskType === 'TEXT_IMAGE' && !b.textToImageParams) throw new AwsError('ValidationException', 'Malformed input request: #: required key [textToImageParams] not found, please reformat your input and try again.');
    const rand = seeded(ctx.modelId, body);
    const n = b.imageGenerationConfig?.numberOfImages ?? 1;
    const images = Array.from({ length: n }, () => solidPng(8, 8, [rand() * 255, rand() * 255, rand() * 255].map(Math.floor) as [number, number, number]).toString('base64'));
    return { body: { images, error: null }, inputTokens: countTokens(b.textToImageParams?.text ?? ''), outputTokens: 0 };
  },
};
