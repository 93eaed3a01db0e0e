// Every model the seed documents name, as data. Region lists and every seed disagreement resolved here are
// listed in DATA-NOTES.md. ModelInfo is the registry's public description of a base model.
import type { BodyFamily, Modality } from './types.js';

export interface ModelInfo {
  id: string;
  name: string;
  provider: 'Amazon' | 'Anthropic' | 'Meta' | 'Mistral AI' | 'Cohere' | 'AI21 Labs' | 'Stability AI' | 'OpenAI';
  family: BodyFamily;
  inputModalities: readonly Modality[];
  outputModalities: readonly Modality[];
  streaming: boolean;
  /** Regions where the model answers on-demand runtime calls (directly or, if requiresProfile, via a profile). */
  onDemandRegions: readonly string[];
  /** Regions where CreateModelInvocationJob accepts it. */
  batchRegions: readonly string[];
  /** Bedrock serves it on demand only through a cross-region inference profile. */
  requiresProfile: boolean;
  provisionedThroughputIds: readonly string[];
  customizations: readonly ('FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION')[];
  inferenceTypes: readonly ('ON_DEMAND' | 'PROVISIONED' | 'INFERENCE_PROFILE')[];
  lifecycle: 'ACTIVE' | 'LEGACY';
}

const R = {
  use1: 'us-east-1', use2: 'us-east-2', usw2: 'us-west-2', apne1: 'ap-northeast-1', apne2: 'ap-northeast-2',
  aps1: 'ap-south-1', apse1: 'ap-southeast-1', apse2: 'ap-southeast-2', cac1: 'ca-central-1', euc1: 'eu-central-1',
  euw1: 'eu-west-1', euw2: 'eu-west-2', euw3: 'eu-west-3', sae1: 'sa-east-1',
} as const;
const r = (...keys: (keyof typeof R)[]) => keys.map((k) => R[k]);
const ALL13 = r('use1', 'usw2', 'apne1', 'apne2', 'aps1', 'apse1', 'apse2', 'cac1', 'euc1', 'euw1', 'euw2', 'euw3', 'sae1');
const TITAN_TEXT_BATCH = r('use1', 'usw2', 'apne1', 'apse1', 'euc1');
const MM_EMBED = r('use1', 'usw2', 'apne2', 'aps1', 'apse2', 'cac1', 'euc1', 'euw1', 'euw2', 'euw3', 'sae1');
const EMBED_V2 = r('use1', 'usw2', 'apne2', 'cac1', 'euc1', 'euw2', 'sae1');
const CLAUDE3_SONNET = r('use1', 'usw2', 'aps1', 'apse2', 'cac1', 'euc1', 'euw1', 'euw2', 'euw3', 'sae1');
const US2 = r('use1', 'usw2');

type Row = Omit<ModelInfo, 'requiresProfile' | 'provisionedThroughputIds' | 'customizations' | 'inferenceTypes' | 'lifecycle' | 'streaming'> &
  Partial<Pick<ModelInfo, 'requiresProfile' | 'provisionedThroughputIds' | 'customizations' | 'lifecycle' | 'streaming'>>;

const T: Modality[] = ['TEXT'];
const TI: Modality[] = ['TEXT', 'IMAGE'];
const TIV: Modality[] = ['TEXT', 'IMAGE', 'VIDEO'];
const E: Modality[] = ['EMBEDDING'];
const I: Modality[] = ['IMAGE'];

// ---- Stand-in rows for the OpenAI/Anthropic-compatible APIs (branch `openai`); to be DROPPED at merge in favour
// of the catalogue's own rows for these models. gpt-oss answers with the mistral-chat family (an OpenAI-shaped
// `choices` body) until the `openai-chat` family lands; regions as in AWS's examples plus us-east-1.
const COMPAT_API_ROWS: Row[] = [
  { id: 'openai.gpt-oss-20b-1:0', name: 'gpt-oss-20b', provider: 'OpenAI', family: 'mistral-chat', inputModalities: ['TEXT'], outputModalities: ['TEXT'], onDemandRegions: US2, batchRegions: US2 },
  { id: 'openai.gpt-oss-120b-1:0', name: 'gpt-oss-120b', provider: 'OpenAI', family: 'mistral-chat', inputModalities: ['TEXT'], outputModalities: ['TEXT'], onDemandRegions: US2, batchRegions: US2 },
  { id: 'anthropic.claude-opus-5', name: 'Claude Opus 5', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['TEXT'], onDemandRegions: r('use1', 'use2', 'usw2'), batchRegions: [], requiresProfile: true },
];
// ---- end of stand-in rows

const ROWS: Row[] = [
  // Amazon
  { id: 'amazon.titan-text-express-v1', name: 'Titan Text G1 - Express', provider: 'Amazon', family: 'titan-text', inputModalities: T, outputModalities: T, onDemandRegions: ALL13, batchRegions: TITAN_TEXT_BATCH, provisionedThroughputIds: ['amazon.titan-text-express-v1:0:8k'], customizations: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'] },
  { id: 'amazon.titan-text-lite-v1', name: 'Titan Text G1 - Lite', provider: 'Amazon', family: 'titan-text', inputModalities: T, outputModalities: T, onDemandRegions: ALL13, batchRegions: TITAN_TEXT_BATCH, provisionedThroughputIds: ['amazon.titan-text-lite-v1:0:4k'], customizations: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'] },
  { id: 'amazon.titan-text-premier-v1:0', name: 'Titan Text G1 - Premier', provider: 'Amazon', family: 'titan-text', inputModalities: T, outputModalities: T, onDemandRegions: ALL13, batchRegions: TITAN_TEXT_BATCH, provisionedThroughputIds: ['amazon.titan-text-premier-v1:0:32k'] },
  { id: 'amazon.titan-embed-text-v1', name: 'Titan Embeddings G1 - Text', provider: 'Amazon', family: 'titan-embed-text-v1', inputModalities: T, outputModalities: E, streaming: false, onDemandRegions: EMBED_V2, batchRegions: US2, provisionedThroughputIds: ['amazon.titan-embed-text-v1:2:8k'] },
  { id: 'amazon.titan-embed-text-v2:0', name: 'Titan Text Embeddings V2', provider: 'Amazon', family: 'titan-embed-text-v2', inputModalities: T, outputModalities: E, streaming: false, onDemandRegions: EMBED_V2, batchRegions: EMBED_V2, provisionedThroughputIds: ['amazon.titan-embed-text-v2:0:8k'] },
  { id: 'amazon.titan-embed-image-v1', name: 'Titan Multimodal Embeddings G1', provider: 'Amazon', family: 'titan-embed-image', inputModalities: TI, outputModalities: E, streaming: false, onDemandRegions: MM_EMBED, batchRegions: MM_EMBED, provisionedThroughputIds: ['amazon.titan-embed-image-v1:0'], customizations: ['FINE_TUNING'] },
  { id: 'amazon.titan-image-generator-v1', name: 'Titan Image Generator G1', provider: 'Amazon', family: 'titan-image', inputModalities: TI, outputModalities: I, streaming: false, onDemandRegions: US2, batchRegions: [], provisionedThroughputIds: ['amazon.titan-image-generator-v1:0'], customizations: ['FINE_TUNING'] },
  { id: 'amazon.nova-micro-v1:0', name: 'Nova Micro', provider: 'Amazon', family: 'nova', inputModalities: T, outputModalities: T, onDemandRegions: r('use1'), batchRegions: r('use1') },
  { id: 'amazon.nova-lite-v1:0', name: 'Nova Lite', provider: 'Amazon', family: 'nova', inputModalities: TIV, outputModalities: T, onDemandRegions: r('use1'), batchRegions: r('use1') },
  { id: 'amazon.nova-pro-v1:0', name: 'Nova Pro', provider: 'Amazon', family: 'nova', inputModalities: TIV, outputModalities: T, onDemandRegions: r('use1'), batchRegions: r('use1') },
  // Anthropic
  { id: 'anthropic.claude-v2', name: 'Claude', provider: 'Anthropic', family: 'anthropic-text', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'apse1', 'euc1'), batchRegions: r('use1', 'usw2', 'apse1', 'euc1'), provisionedThroughputIds: ['anthropic.claude-v2:0:18k', 'anthropic.claude-v2:0:100k'], lifecycle: 'LEGACY' },
  { id: 'anthropic.claude-v2:1', name: 'Claude', provider: 'Anthropic', family: 'anthropic-text', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'apne1', 'euc1'), batchRegions: r('use1', 'usw2', 'apne1', 'euc1'), provisionedThroughputIds: ['anthropic.claude-v2:1:18k', 'anthropic.claude-v2:1:200k'], lifecycle: 'LEGACY' },
  { id: 'anthropic.claude-instant-v1', name: 'Claude Instant', provider: 'Anthropic', family: 'anthropic-text', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'apne1', 'apse1', 'euc1'), batchRegions: [], provisionedThroughputIds: ['anthropic.claude-instant-v1:2:100k'], lifecycle: 'LEGACY' },
  { id: 'anthropic.claude-3-sonnet-20240229-v1:0', name: 'Claude 3 Sonnet', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: CLAUDE3_SONNET, batchRegions: CLAUDE3_SONNET, provisionedThroughputIds: ['anthropic.claude-3-sonnet-20240229-v1:0:28k', 'anthropic.claude-3-sonnet-20240229-v1:0:200k'] },
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', name: 'Claude 3 Haiku', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: ALL13, batchRegions: ALL13, provisionedThroughputIds: ['anthropic.claude-3-haiku-20240307-v1:0:48k', 'anthropic.claude-3-haiku-20240307-v1:0:200k'], customizations: ['FINE_TUNING'] },
  { id: 'anthropic.claude-3-opus-20240229-v1:0', name: 'Claude 3 Opus', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: US2, batchRegions: r('usw2') },
  { id: 'anthropic.claude-3-5-sonnet-20240620-v1:0', name: 'Claude 3.5 Sonnet', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'apne1', 'apne2', 'apse1', 'euc1'), batchRegions: r('use1', 'usw2', 'apne1', 'apne2', 'apse1', 'euc1') },
  { id: 'anthropic.claude-3-5-sonnet-20241022-v2:0', name: 'Claude 3.5 Sonnet v2', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: r('usw2') },
  { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', name: 'Claude 3.5 Haiku', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: r('usw2') },
  { id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', name: 'Claude 3.7 Sonnet', provider: 'Anthropic', family: 'anthropic-messages', inputModalities: TI, outputModalities: T, onDemandRegions: r('use1', 'use2', 'usw2'), batchRegions: r('use1', 'use2', 'usw2'), requiresProfile: true },
  // Meta
  { id: 'meta.llama2-13b-chat-v1', name: 'Llama 2 Chat 13B', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: [], provisionedThroughputIds: ['meta.llama2-13b-chat-v1:0:4k'], lifecycle: 'LEGACY' },
  { id: 'meta.llama2-70b-chat-v1', name: 'Llama 2 Chat 70B', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: [], lifecycle: 'LEGACY' },
  { id: 'meta.llama3-8b-instruct-v1:0', name: 'Llama 3 8B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: [] },
  { id: 'meta.llama3-70b-instruct-v1:0', name: 'Llama 3 70B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: [] },
  { id: 'meta.llama3-1-8b-instruct-v1:0', name: 'Llama 3.1 8B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'use2', 'usw2'), batchRegions: US2 },
  { id: 'meta.llama3-1-70b-instruct-v1:0', name: 'Llama 3.1 70B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: r('usw2') },
  { id: 'meta.llama3-1-405b-instruct-v1:0', name: 'Llama 3.1 405B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: r('usw2') },
  { id: 'meta.llama3-2-1b-instruct-v1:0', name: 'Llama 3.2 1B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2', 'euw3'), batchRegions: US2, requiresProfile: true },
  { id: 'meta.llama3-2-3b-instruct-v1:0', name: 'Llama 3.2 3B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2', 'euw3'), batchRegions: US2, requiresProfile: true },
  { id: 'meta.llama3-2-11b-instruct-v1:0', name: 'Llama 3.2 11B Instruct', provider: 'Meta', family: 'llama', inputModalities: TI, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: US2, requiresProfile: true },
  { id: 'meta.llama3-2-90b-instruct-v1:0', name: 'Llama 3.2 90B Instruct', provider: 'Meta', family: 'llama', inputModalities: TI, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: US2, requiresProfile: true },
  { id: 'meta.llama3-3-70b-instruct-v1:0', name: 'Llama 3.3 70B Instruct', provider: 'Meta', family: 'llama', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: US2, requiresProfile: true },
  // Mistral AI
  { id: 'mistral.mistral-7b-instruct-v0:2', name: 'Mistral 7B Instruct', provider: 'Mistral AI', family: 'mistral-prompt', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euw1'), batchRegions: [] },
  { id: 'mistral.mixtral-8x7b-instruct-v0:1', name: 'Mixtral 8x7B Instruct', provider: 'Mistral AI', family: 'mistral-prompt', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'aps1', 'apse2', 'cac1', 'euw1', 'euw2', 'euw3', 'sae1'), batchRegions: r('use1', 'usw2', 'aps1', 'apse2', 'cac1', 'euw1', 'euw2', 'euw3', 'sae1') },
  { id: 'mistral.mistral-large-2402-v1:0', name: 'Mistral Large (24.02)', provider: 'Mistral AI', family: 'mistral-prompt', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euw1'), batchRegions: US2 },
  { id: 'mistral.mistral-small-2402-v1:0', name: 'Mistral Small (24.02)', provider: 'Mistral AI', family: 'mistral-prompt', inputModalities: T, outputModalities: T, onDemandRegions: r('use1'), batchRegions: r('use1') },
  { id: 'mistral.mistral-large-2407-v1:0', name: 'Mistral Large (24.07)', provider: 'Mistral AI', family: 'mistral-chat', inputModalities: T, outputModalities: T, onDemandRegions: r('usw2'), batchRegions: r('usw2') },
  // Cohere
  { id: 'cohere.command-text-v14', name: 'Command', provider: 'Cohere', family: 'cohere-command', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: US2, provisionedThroughputIds: ['cohere.command-text-v14:7:4k'], customizations: ['FINE_TUNING'] },
  { id: 'cohere.command-light-text-v14', name: 'Command Light', provider: 'Cohere', family: 'cohere-command', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: [], provisionedThroughputIds: ['cohere.command-light-text-v14:7:4k'], customizations: ['FINE_TUNING'] },
  { id: 'cohere.command-r-v1:0', name: 'Command R', provider: 'Cohere', family: 'cohere-command-r', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: US2 },
  { id: 'cohere.command-r-plus-v1:0', name: 'Command R+', provider: 'Cohere', family: 'cohere-command-r', inputModalities: T, outputModalities: T, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: US2 },
  { id: 'cohere.embed-english-v3', name: 'Embed English', provider: 'Cohere', family: 'cohere-embed', inputModalities: T, outputModalities: E, streaming: false, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: US2, provisionedThroughputIds: ['cohere.embed-english-v3:0:512'] },
  { id: 'cohere.embed-multilingual-v3', name: 'Embed Multilingual', provider: 'Cohere', family: 'cohere-embed', inputModalities: T, outputModalities: E, streaming: false, onDemandRegions: r('use1', 'usw2', 'euc1'), batchRegions: US2, provisionedThroughputIds: ['cohere.embed-multilingual-v3:0:512'] },
  // AI21 Labs
  { id: 'ai21.j2-mid-v1', name: 'Jurassic-2 Mid', provider: 'AI21 Labs', family: 'ai21-j2', inputModalities: T, outputModalities: T, streaming: false, onDemandRegions: r('use1'), batchRegions: r('use1'), lifecycle: 'LEGACY' },
  { id: 'ai21.j2-ultra-v1', name: 'Jurassic-2 Ultra', provider: 'AI21 Labs', family: 'ai21-j2', inputModalities: T, outputModalities: T, streaming: false, onDemandRegions: r('use1'), batchRegions: r('use1'), provisionedThroughputIds: ['ai21.j2-ultra-v1:0:8k'], lifecycle: 'LEGACY' },
  { id: 'ai21.jamba-instruct-v1:0', name: 'Jamba-Instruct', provider: 'AI21 Labs', family: 'ai21-jamba', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: r('use1') },
  { id: 'ai21.jamba-1-5-large-v1:0', name: 'Jamba 1.5 Large', provider: 'AI21 Labs', family: 'ai21-jamba', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: r('use1') },
  { id: 'ai21.jamba-1-5-mini-v1:0', name: 'Jamba 1.5 Mini', provider: 'AI21 Labs', family: 'ai21-jamba', inputModalities: T, outputModalities: T, onDemandRegions: US2, batchRegions: r('use1') },
  // Stability AI
  { id: 'stability.stable-diffusion-xl-v0', name: 'SDXL 0.8', provider: 'Stability AI', family: 'stability-sdxl', inputModalities: TI, outputModalities: I, streaming: false, onDemandRegions: US2, batchRegions: [], lifecycle: 'LEGACY' },
  { id: 'stability.stable-diffusion-xl-v1', name: 'SDXL 1.0', provider: 'Stability AI', family: 'stability-sdxl', inputModalities: TI, outputModalities: I, streaming: false, onDemandRegions: US2, batchRegions: [], provisionedThroughputIds: ['stability.stable-diffusion-xl-v1:0'] },
  ...COMPAT_API_ROWS,
];

export const MODELS: readonly ModelInfo[] = ROWS.map((row) => {
  const requiresProfile = row.requiresProfile ?? false;
  const provisionedThroughputIds = row.provisionedThroughputIds ?? [];
  return {
    ...row,
    streaming: row.streaming ?? true,
    requiresProfile,
    provisionedThroughputIds,
    customizations: row.customizations ?? [],
    inferenceTypes: [requiresProfile ? 'INFERENCE_PROFILE' : 'ON_DEMAND', ...(provisionedThroughputIds.length ? ['PROVISIONED' as const] : [])],
    lifecycle: row.lifecycle ?? 'ACTIVE',
  };
});
