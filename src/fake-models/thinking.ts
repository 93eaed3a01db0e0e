// Claude's extended thinking on Bedrock, shared by InvokeModel's Anthropic body and Converse
// (`additionalModelRequestFields.thinking`): which requests Anthropic refuses, and the reasoning an answer carries.
// Messages are Anthropic's own (the Messages API answers them; Converse wraps them, see converse.ts).
import type { ModelFeatures } from '../registry/index.js';
import { generate, hexId, type Random } from './text-gen.js';

export const MIN_BUDGET = 1024;
const DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';
/** Anthropic's documented trigger for a redacted thinking block, for testing clients that must handle one. */
export const REDACTED_THINKING_TRIGGER = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB';

export interface ThinkingRequest {
  thinking: unknown;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  forcedTool: boolean;
  /** The final assistant turn that must open with thinking (a prefill, or the turn a trailing tool result answers). */
  finalAssistant?: { index: number; firstType: string };
}

/** The reasoning budget in tokens (adaptive: the whole output budget), or undefined when thinking is off. */
export type Thinking = { budget: number } | undefined;

/** Checks a request's thinking settings against the model; returns the mode, or throws Anthropic's message. */
export function thinkingOf(features: ModelFeatures | undefined, r: ThinkingRequest, refuse: (message: string) => Error): Thinking {
  if (r.thinking === undefined || r.thinking === null) return undefined;
  const t = r.thinking as { type?: unknown; budget_tokens?: unknown };
  if (t.type === 'disabled') {
    if (features?.thinking === 'adaptive') throw refuse('"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
    return undefined;
  }
  if (!features?.thinking) throw refuse('thinking: Extra inputs are not permitted');
  if (t.type !== 'enabled' && t.type !== 'adaptive') throw refuse(`thinking.type: Input tag '${String(t.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'`);
  if (t.type === 'enabled' && features.thinking === 'adaptive') {
    throw refuse('"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.');
  }
  if (t.type === 'adaptive' && features.thinking === 'budget') {
    throw refuse('"thinking.type.adaptive" is not supported for this model. Use "thinking.type.enabled" with "thinking.budget_tokens".');
  }
  let budget = r.maxTokens ?? features.maxTokens;
  if (t.type === 'enabled') {
    if (typeof t.budget_tokens !== 'number' || !Number.isInteger(t.budget_tokens)) throw refuse('thinking.enabled.budget_tokens: Field required');
    if (t.budget_tokens < MIN_BUDGET) throw refuse(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_BUDGET}`);
    if (r.maxTokens !== undefined && r.maxTokens <= t.budget_tokens) {
      throw refuse(`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${DOCS}#max-tokens-and-context-window-size`);
    }
    budget = t.budget_tokens;
  }
  if (r.temperature !== undefined && r.temperature !== 1) {
    throw refuse(`\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at ${DOCS}#important-considerations-when-using-extended-thinking`);
  }
  if (r.topK !== undefined) throw refuse(`\`top_k\` is not supported when thinking is enabled. Please consult our documentation at ${DOCS}#important-considerations-when-using-extended-thinking`);
  if (r.topP !== undefined && r.topP < 0.95) {
    throw refuse(`\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. Please consult our documentation at ${DOCS}#important-considerations-when-using-extended-thinking`);
  }
  if (r.forcedTool) throw refuse('Thinking may not be enabled when tool_choice forces tool use.');
  const last = r.finalAssistant;
  if (last && last.firstType !== 'thinking' && last.firstType !== 'redacted_thinking') {
    throw refuse(
      `messages.${last.index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${last.firstType}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at ${DOCS}`,
    );
  }
  return { budget };
}

/** Reasoning text and its signature, or (`redacted`) the base64 of an encrypted block (Anthropic's `redacted_thinking.data`). */
export type Reasoning = { text: string; signature: string; redacted?: never; tokens: number } | { redacted: string; text?: never; signature?: never; tokens: number };

/** Deterministic reasoning within `budget` tokens; redacted when the prompt holds Anthropic's trigger string. */
export function reason(rand: Random, budget: number, promptText: string): Reasoning {
  if (promptText.includes(REDACTED_THINKING_TRIGGER)) return { redacted: Buffer.from(hexId(rand, 96), 'hex').toString('base64'), tokens: 0 };
  const gen = generate(rand, budget);
  return { text: gen.text, signature: Buffer.from(hexId(rand, 128), 'hex').toString('base64'), tokens: gen.tokens };
}
