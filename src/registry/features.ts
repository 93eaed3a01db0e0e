// What each model takes on Converse (AWS's "supported models and model features" table, tool choice, prompt
// caching, structured output, extended thinking) and its output ceiling, as data: data/model-features.json, with
// its sources. A catalogue row may carry its own `features`, which wins, so a user's catalogue can describe a model
// this table does not know.
import { BUILT_IN } from './catalog.js';
import data from './data/model-features.json' with { type: 'json' };

export type CacheTtl = '5m' | '1h';
export type ToolChoiceForm = 'auto' | 'any' | 'tool';

export interface ModelFeatures {
  converse: boolean;
  converseStream: boolean;
  system: boolean;
  documents: boolean;
  images: boolean;
  video: boolean;
  tools: boolean;
  streamingTools: boolean;
  toolChoice: readonly ToolChoiceForm[];
  /** citations and searchResult content blocks */
  citations: boolean;
  guardrails: boolean;
  structuredOutput: boolean;
  /** Explicit prompt caching (cachePoint); absent when the model has none. */
  cache?: { minTokens: number; maxCheckpoints: number; ttls: readonly CacheTtl[] };
  /** budget: `thinking.type: enabled` with budget_tokens; adaptive: `thinking.type: adaptive` only; both. */
  thinking?: 'budget' | 'adaptive' | 'both';
  /** The largest maxTokens (max_tokens) accepted. */
  maxTokens: number;
  /** A higher ceiling unlocked by an `anthropic_beta` value. */
  maxTokensWithBeta?: Readonly<Record<string, number>>;
}

const TABLE = data.models as unknown as Readonly<Record<string, ModelFeatures>>;

/**
 * The features of a base model: its catalogue row's own `features`, else the table's row. A model the table lacks
 * (one a user's catalogue adds) takes the row of the first built-in model of its body family that has one, so a
 * captured catalogue's new Mistral or Claude model converses like its siblings; else none.
 */
export function featuresOf(model: { id: string; family?: string; features?: ModelFeatures }): ModelFeatures | undefined {
  return model.features ?? TABLE[model.id] ?? (model.family === undefined ? undefined : familyFeatures(model.family));
}

const byFamily = new Map<string, ModelFeatures | undefined>();
function familyFeatures(family: string): ModelFeatures | undefined {
  if (!byFamily.has(family)) byFamily.set(family, TABLE[BUILT_IN.models.find((m) => m.family === family && TABLE[m.id])?.id ?? '']);
  return byFamily.get(family);
}
