// Amazon Nova Multimodal Embeddings on InvokeModel: one embedding of a text, image, audio or video input
// (Nova user guide, "Complete embeddings request and response schema", synchronous form).
import { checkBody, int, malformed, obj, str, type Schema } from './schema.js';
import { seeded, vector } from './text-gen.js';
import { countTokens } from './tokens.js';
import type { FamilyModule } from './types.js';

// A SourceObject: the bytes inline (base64) or an S3 location.
const source: Schema = { anyOf: [obj({ bytes: str({ minLength: 1 }) }, ['bytes']), obj({ s3Location: obj({ uri: str({ minLength: 1 }), bucketOwner: str() }, ['uri']) }, ['s3Location'])] };
const PURPOSES = ['GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL', 'VIDEO_RETRIEVAL', 'DOCUMENT_RETRIEVAL', 'AUDIO_RETRIEVAL', 'CLASSIFICATION', 'CLUSTERING'];
const SCHEMA = obj(
  {
    schemaVersion: str({ enum: ['nova-multimodal-embed-v1'] }),
    taskType: str({ enum: ['SINGLE_EMBEDDING'] }),
    singleEmbeddingParams: obj(
      {
        embeddingPurpose: str({ enum: PURPOSES }),
        embeddingDimension: { type: 'integer', enum: [256, 384, 1024, 3072] },
        text: obj({ truncationMode: str({ enum: ['START', 'END', 'NONE'] }), value: str({ minLength: 1 }), source }, ['truncationMode']),
        image: obj({ detailLevel: str({ enum: ['STANDARD_IMAGE', 'DOCUMENT_IMAGE'] }), format: str({ enum: ['png', 'jpeg', 'gif', 'webp'] }), source }, ['format', 'source']),
        audio: obj({ format: str({ enum: ['mp3', 'wav', 'ogg'] }), source }, ['format', 'source']),
        video: obj({ format: str({ enum: ['mp4', 'mov', 'mkv', 'webm', 'flv', 'mpeg', 'mpg', 'wmv', '3gp'] }), source, embeddingMode: str({ enum: ['AUDIO_VIDEO_COMBINED', 'AUDIO_VIDEO_SEPARATE'] }) }, ['format', 'source', 'embeddingMode']),
      },
      ['embeddingPurpose'],
    ),
    // Only the asynchronous API segments; its parameters are no InvokeModel body's.
    segmentedEmbeddingParams: obj({}, [], true),
  },
  ['taskType', 'singleEmbeddingParams'],
);
const MODALITIES = ['text', 'image', 'audio', 'video'] as const;

interface Params {
  embeddingDimension?: number;
  text?: { value?: string; source?: unknown };
  video?: { embeddingMode: string };
  [modality: string]: unknown;
}

export const novaEmbed: FamilyModule = {
  family: 'nova-embed',
  invoke(body, ctx) {
    const b = checkBody<{ taskType: string; singleEmbeddingParams: Params; segmentedEmbeddingParams?: unknown }>(SCHEMA, body);
    if (b.segmentedEmbeddingParams) throw malformed('#: extraneous key [segmentedEmbeddingParams] is not permitted');
    const p = b.singleEmbeddingParams;
    const given = MODALITIES.filter((m) => p[m] !== undefined);
    if (given.length !== 1) throw malformed(`#/singleEmbeddingParams: exactly one of text, image, audio or video is required, found ${given.length}`);
    const modality = given[0];
    if (p.text && (p.text.value === undefined) === (p.text.source === undefined)) throw malformed('#/singleEmbeddingParams/text: exactly one of value or source is required');
    const dims = p.embeddingDimension ?? 3072;
    const seed = JSON.stringify(p[modality]);
    const embed = (type: string) => ({ embeddingType: type, embedding: vector(seeded(ctx.modelId, type, seed), dims, true) });
    const types = modality === 'video' ? (p.video!.embeddingMode === 'AUDIO_VIDEO_SEPARATE' ? ['VIDEO', 'AUDIO'] : ['AUDIO_VIDEO_COMBINED']) : [modality.toUpperCase()];
    const inputTokens = countTokens(p.text?.value ?? '');
    return { body: { embeddings: types.map(embed) }, inputTokens, outputTokens: 0 };
  },
};
