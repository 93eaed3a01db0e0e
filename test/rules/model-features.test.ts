// Converse features per model, from AWS's "Supported models and model features" table
// (conversation-inference-supported-models-features.html) and the Anthropic parameters page
// (model-parameters-anthropic-claude-messages.html): Llama 3 Instruct has no tool use, Llama 3.1 Instruct has it;
// Titan Text takes no system prompt; Claude 3.7 Sonnet answers up to 64,000 tokens (128,000 with the
// `output-128k-2025-02-19` beta). A model the table lacks takes its body family's features (README: a captured
// catalogue's new model converses like its siblings); a catalogue row's own features win.
import { describe, expect, it } from 'vitest';
import { featuresOf, type ModelFeatures } from '../../src/registry/features.js';

describe('featuresOf', () => {
  it("gives the table's row for a known model", () => {
    expect(featuresOf({ id: 'meta.llama3-8b-instruct-v1:0' })).toMatchObject({ converse: true, tools: false });
    expect(featuresOf({ id: 'meta.llama3-1-70b-instruct-v1:0' })).toMatchObject({ converse: true, tools: true });
    expect(featuresOf({ id: 'amazon.titan-text-express-v1' })).toMatchObject({ converse: true, system: false, tools: false });
    expect(featuresOf({ id: 'anthropic.claude-3-7-sonnet-20250219-v1:0' })).toMatchObject({ maxTokens: 64_000, maxTokensWithBeta: { 'output-128k-2025-02-19': 128_000 } });
  });
  it("gives a catalogue row's own features over the table's", () => {
    const own = { converse: false, maxTokens: 7 } as unknown as ModelFeatures;
    expect(featuresOf({ id: 'meta.llama3-1-70b-instruct-v1:0', features: own })).toBe(own);
  });
  it("gives a model the table lacks the features of its body family's models", () => {
    expect(featuresOf({ id: 'anthropic.claude-new-v9:0', family: 'anthropic-messages' })).toMatchObject({ converse: true, tools: true, system: true });
    expect(featuresOf({ id: 'meta.llama9-1b-instruct-v1:0', family: 'llama' })).toMatchObject({ converse: true });
  });
  it('gives none for a model the table lacks without a family, or of a family no known model has', () => {
    expect(featuresOf({ id: 'acme.unknown-v1' })).toBeUndefined();
    expect(featuresOf({ id: 'acme.unknown-v1', family: 'acme-body' })).toBeUndefined();
  });
});
