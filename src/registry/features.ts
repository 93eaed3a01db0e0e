// What each model takes on Converse (AWS's "supported models and model features" table, tool choice, prompt
// caching, structured output, extended thinking) and its output ceiling, as data: data/model-features.json, with
// its sources. A catalogue row may carry its own `features`, which wins, so a user's catalogue can describe a model
// this table does not know.
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

/** The features of a base model: its catalogue row's own `features`, else the table's row, else none. */
export function featuresOf(model: { id: string; features?: ModelFeatures }): ModelFeatures | undefined {
  return model.features ?? TABLE[model.id];
}
