// Amazon Titan: Text (Express, Lite, Premier), Text Embeddings v1 and v2, Multimodal Embeddings, Image Generator.
import { ModelRefusal } from './errors.js';
import { solidPng } from './png.js';
import { arr, bool, checkBody, int, malformed, num, obj, str, type Schema } from './schema.js';
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
  const b = checkBody<{ inputText: string; textGenerationConfig?: { maxTokenCount?: number; stopSequences?: string[] } }>(TEXT_SCHEMA, body);
  const max = b.textGenerationConfig?.maxTokenCount ?? 512;
  const limit = MAX_TEXT_TOKENS[ctx.modelId] ?? 8192;
  if (max > limit) throw new ModelRefusal(`Malformed input request: #/textGenerationConfig/maxTokenCount: ${max} is not less or equal to ${limit}, please reformat your input and try again.`);
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
    const b = checkBody<{ inputText: string }>(obj({ inputText: str({ minLength: 1 }) }, ['inputText']), body);
    const inputTokens = countTokens(b.inputText);
    return { body: { embedding: vector(seeded(ctx.modelId, b.inputText), 1536, false), inputTextTokenCount: inputTokens }, inputTokens, outputTokens: 0 };
  },
};

export const titanEmbedV2: FamilyModule = {
  family: 'titan-embed-text-v2',
  invoke(body, ctx) {
    const b = checkBody<{ inputText: string; dimensions?: number; normalize?: boolean; embeddingTypes?: string[] }>(
      obj({ inputText: str({ minLength: 1, maxLength: 50_000 }), dimensions: { type: 'integer', enum: [256, 512, 1024] }, normalize: bool, embeddingTypes: arr(str({ enum: ['float', 'binary'] }), 1, 2) }, ['inputText']),
      body,
    );
    const embedding = vector(seeded(ctx.modelId, b.inputText), b.dimensions ?? 1024, b.normalize ?? true);
    const inputTokens = countTokens(b.inputText);
    // embeddingsByType is always there ("Even if you don't specify embeddingTypes … there will still be float");
    // `embedding` (always floats) is left out when only binary is asked for (FORMAT-NOTES.md).
    const types = b.embeddingTypes ?? ['float'];
    const embeddingsByType = {
      ...(types.includes('float') ? { float: embedding } : {}),
      ...(types.includes('binary') ? { binary: embedding.map((x) => (x > 0 ? 1 : 0)) } : {}),
    };
    const floats = types.includes('float') ? { embedding } : {};
    return { body: { ...floats, inputTextTokenCount: inputTokens, embeddingsByType }, inputTokens, outputTokens: 0 };
  },
};

export const titanEmbedImage: FamilyModule = {
  family: 'titan-embed-image',
  invoke(body, ctx) {
    const b = checkBody<{ inputText?: string; inputImage?: string; embeddingConfig?: { outputEmbeddingLength?: number } }>(
      obj({ inputText: str({ maxLength: 100_000 }), inputImage: str(), embeddingConfig: obj({ outputEmbeddingLength: { type: 'integer', enum: [256, 384, 1024] } }) }),
      body,
    );
    if (b.inputText === undefined && b.inputImage === undefined) {
      throw new ModelRefusal('Malformed input request: At least one of inputText or inputImage must be provided, please reformat your input and try again.');
    }
    if (b.inputImage !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(b.inputImage)) {
      throw new ModelRefusal('Malformed input request: #/inputImage: string is not valid base64, please reformat your input and try again.');
    }
    const inputTokens = countTokens(b.inputText ?? '');
    const embedding = vector(seeded(ctx.modelId, b.inputText ?? '', b.inputImage ?? ''), b.embeddingConfig?.outputEmbeddingLength ?? 1024, true);
    return { body: { embedding, inputTextTokenCount: inputTokens }, inputTokens, outputTokens: 0 };
  },
};

const SIZES = [512, 768, 1024, 1152, 1173, 1280, 1408];
const prompt = str({ minLength: 1, maxLength: 512 });
const image = str({ minLength: 1 });

/**
 * The body of Titan Image Generator v1 or v2 (model-parameters-titan-image): one parameter object per task type;
 * v2 adds image conditioning to TEXT_IMAGE, similarityStrength to IMAGE_VARIATION, and two task types.
 */
function imageSchema(v2: boolean): Schema {
  const tasks = ['TEXT_IMAGE', 'INPAINTING', 'OUTPAINTING', 'IMAGE_VARIATION', ...(v2 ? ['COLOR_GUIDED_GENERATION', 'BACKGROUND_REMOVAL'] : [])];
  const conditioning: Record<string, Schema> = v2 ? { conditionImage: image, controlMode: str({ enum: ['CANNY_EDGE', 'SEGMENTATION'] }), controlStrength: num(0, 1) } : {};
  return obj(
    {
      taskType: str({ enum: tasks }),
      textToImageParams: obj({ text: prompt, negativeText: prompt, ...conditioning }, ['text']),
      inPaintingParams: obj({ image, text: prompt, negativeText: prompt, maskPrompt: prompt, maskImage: image }, ['image']),
      outPaintingParams: obj({ image, text: prompt, negativeText: prompt, maskPrompt: prompt, maskImage: image, outPaintingMode: str({ enum: ['DEFAULT', 'PRECISE'] }) }, ['image']),
      imageVariationParams: obj({ images: arr(image, 1, 5), text: prompt, negativeText: prompt, ...(v2 ? { similarityStrength: num(0.2, 1) } : {}) }, ['images']),
      ...(v2
        ? {
            colorGuidedGenerationParams: obj({ colors: arr(str({ minLength: 7, maxLength: 7 }), 1, 10), text: prompt, negativeText: prompt, referenceImage: image }, ['colors', 'text']),
            backgroundRemovalParams: obj({ image }, ['image']),
          }
        : {}),
      imageGenerationConfig: obj({ numberOfImages: int(1, 5), height: { type: 'integer', enum: SIZES }, width: { type: 'integer', enum: SIZES }, cfgScale: num(1.1, 10), seed: int(0, 2147483646), quality: str({ enum: ['standard', 'premium'] }) }),
    },
    ['taskType'],
  );
}
const IMAGE_V1 = imageSchema(false);
const IMAGE_V2 = imageSchema(true);
const PARAMS_OF: Record<string, string> = {
  TEXT_IMAGE: 'textToImageParams', INPAINTING: 'inPaintingParams', OUTPAINTING: 'outPaintingParams', IMAGE_VARIATION: 'imageVariationParams',
  COLOR_GUIDED_GENERATION: 'colorGuidedGenerationParams', BACKGROUND_REMOVAL: 'backgroundRemovalParams',
};

interface ImageBody {
  taskType: string;
  imageGenerationConfig?: { numberOfImages?: number };
  [params: string]: unknown;
}

export const titanImage: FamilyModule = {
  family: 'titan-image',
  invoke(body, ctx) {
    const b = checkBody<ImageBody>(/image-generator-v2/.test(ctx.modelId) ? IMAGE_V2 : IMAGE_V1, body);
    const key = PARAMS_OF[b.taskType];
    if (!b[key]) throw malformed(`#: required key [${key}] not found`);
    const params = b[key] as { maskPrompt?: string; maskImage?: string; colors?: string[]; text?: string };
    // Inpainting and outpainting take exactly one mask: a prompt naming what to edit, or a mask image.
    if ((b.taskType === 'INPAINTING' || b.taskType === 'OUTPAINTING') && (params.maskPrompt === undefined) === (params.maskImage === undefined)) {
      throw malformed(`#/${key}: exactly one of maskPrompt or maskImage is required`);
    }
    const badColour = params.colors?.findIndex((c) => !/^#[0-9A-Fa-f]{6}$/.test(c)) ?? -1;
    if (badColour >= 0) throw malformed(`#/${key}/colors/${badColour}: string [${params.colors![badColour]}] does not match pattern ^#[0-9A-Fa-f]{6}$`);
    const rand = seeded(ctx.modelId, body);
    // Background removal answers the one image it was given.
    const n = b.taskType === 'BACKGROUND_REMOVAL' ? 1 : (b.imageGenerationConfig?.numberOfImages ?? 1);
    const images = Array.from({ length: n }, () => solidPng(8, 8, [rand() * 255, rand() * 255, rand() * 255].map(Math.floor) as [number, number, number]).toString('base64'));
    return { body: { images, error: null }, inputTokens: countTokens(params.text ?? ''), outputTokens: 0 };
  },
};
