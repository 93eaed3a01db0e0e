// System-defined (cross-region) inference profiles: seed 001's table, plus the eu./apac. profiles implied by seed
// 000's "Inference Profile Regions" (see DATA-NOTES.md).

export interface SystemProfile {
  id: string;
  name: string;
  modelId: string;
  sourceRegions: readonly string[];
  /** Destination regions; some profiles route differently per source region. */
  destinations: readonly string[] | Readonly<Record<string, readonly string[]>>;
}

const US3 = ['us-east-1', 'us-east-2', 'us-west-2'];
const US2 = ['us-east-1', 'us-west-2'];
const EU3 = ['eu-central-1', 'eu-west-1', 'eu-west-3'];
const APAC5 = ['ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2'];

const us = (model: string, name: string, sourceRegions = US3, destinations: SystemProfile['destinations'] = US3): SystemProfile => ({
  id: `us.${model}`,
  name: `US ${name}`,
  modelId: model,
  sourceRegions,
  destinations,
});

export const SYSTEM_PROFILES: readonly SystemProfile[] = [
  us('amazon.nova-lite-v1:0', 'Nova Lite'),
  us('amazon.nova-micro-v1:0', 'Nova Micro'),
  us('amazon.nova-pro-v1:0', 'Nova Pro'),
  us('anthropic.claude-3-haiku-20240307-v1:0', 'Anthropic Claude 3 Haiku', US3, {
    'us-east-1': US2,
    'us-east-2': US3,
    'us-west-2': US2,
  }),
  us('anthropic.claude-3-opus-20240229-v1:0', 'Anthropic Claude 3 Opus', US2, US2),
  us('anthropic.claude-3-sonnet-20240229-v1:0', 'Anthropic Claude 3 Sonnet', US2, US2),
  us('anthropic.claude-3-5-sonnet-20240620-v1:0', 'Anthropic Claude 3.5 Sonnet'),
  us('anthropic.claude-3-5-haiku-20241022-v1:0', 'Anthropic Claude 3.5 Haiku'),
  us('anthropic.claude-3-5-sonnet-20241022-v2:0', 'Anthropic Claude 3.5 Sonnet v2'),
  us('anthropic.claude-3-7-sonnet-20250219-v1:0', 'Anthropic Claude 3.7 Sonnet'),
  us('meta.llama3-1-8b-instruct-v1:0', 'Meta Llama 3.1 8B Instruct'),
  us('meta.llama3-1-70b-instruct-v1:0', 'Meta Llama 3.1 70B Instruct'),
  us('meta.llama3-1-405b-instruct-v1:0', 'Meta Llama 3.1 405B Instruct', ['us-east-2'], US3),
  us('meta.llama3-2-1b-instruct-v1:0', 'Meta Llama 3.2 1B Instruct'),
  us('meta.llama3-2-3b-instruct-v1:0', 'Meta Llama 3.2 3B Instruct'),
  us('meta.llama3-2-11b-instruct-v1:0', 'Meta Llama 3.2 11B Instruct'),
  us('meta.llama3-2-90b-instruct-v1:0', 'Meta Llama 3.2 90B Instruct'),
  us('meta.llama3-3-70b-instruct-v1:0', 'Meta Llama 3.3 70B Instruct'),
  { id: 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0', name: 'EU Anthropic Claude 3.5 Sonnet', modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', sourceRegions: EU3, destinations: EU3 },
  { id: 'apac.anthropic.claude-3-5-sonnet-20240620-v1:0', name: 'APAC Anthropic Claude 3.5 Sonnet', modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0', sourceRegions: APAC5, destinations: APAC5 },
  { id: 'eu.meta.llama3-2-1b-instruct-v1:0', name: 'EU Meta Llama 3.2 1B Instruct', modelId: 'meta.llama3-2-1b-instruct-v1:0', sourceRegions: EU3, destinations: EU3 },
  // Stand-in for the compatible APIs (branch `openai`), dropped at merge for the catalogue's own profile rows.
  { id: 'global.anthropic.claude-opus-5', name: 'Global Anthropic Claude Opus 5', modelId: 'anthropic.claude-opus-5', sourceRegions: US3, destinations: US3 },
  { id: 'eu.meta.llama3-2-3b-instruct-v1:0', name: 'EU Meta Llama 3.2 3B Instruct', modelId: 'meta.llama3-2-3b-instruct-v1:0', sourceRegions: EU3, destinations: EU3 },
];
