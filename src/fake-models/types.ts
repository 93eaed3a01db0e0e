// The interface every body-format family implements. No HTTP here: the runtime routes and the batch engine call it.
import type { BodyFamily } from '../registry/types.js';

export interface InvokeContext {
  /** The resolved base model id. */
  modelId: string;
  /** The emulator clock's time (ms since the epoch), for the answers that carry a timestamp; wall-clock time when absent. */
  now?: number;
}

export interface InvokeResult {
  body: Record<string, unknown>;
  inputTokens: number;
  outputTokens: number;
  stopReason?: string;
}

export interface StreamResult {
  /** Provider-native stream events, in order, without Bedrock's invocation metrics (the caller adds those). */
  events: Record<string, unknown>[];
  inputTokens: number;
  outputTokens: number;
}

export interface FamilyModule {
  family: BodyFamily;
  /** Throws ModelRefusal for a body Bedrock would reject. */
  invoke(body: unknown, ctx: InvokeContext): InvokeResult;
  /** Families Bedrock streams with InvokeModelWithResponseStream. */
  stream?(body: unknown, ctx: InvokeContext): StreamResult;
}
