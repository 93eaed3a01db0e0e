// What a runtime modelId means for the caller: the registry's rules for the region (models, system and
// application inference profiles), plus the per-model request quotas.
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { resolveModel, type ModelInfo } from '../../registry/index.js';

export function runtimeModel(ctx: OpContext, modelId: string): ModelInfo {
  const resolved = resolveModel(modelId, ctx.region, 'on-demand', {
    applicationProfile: (arn) => ctx.emu.profiles.lookup(ctx, arn),
  });
  if (!resolved.ok) throw new AwsError(resolved.errorType, resolved.message);
  return resolved.model;
}

interface Window {
  minute: number;
  requests: number;
  tokens: number;
}

/**
 * Requests and tokens per minute per account, region and model, in fixed one-minute windows of the emulator's
 * clock. Limits come from config.runtime.quotas (a model id or '*'); with none set nothing is throttled.
 */
export class RuntimeQuotas {
  private readonly windows = new Map<string, Window>();

  admit(ctx: OpContext, modelId: string, estimatedTokens: number): void {
    const quotas = ctx.emu.config.get().runtime.quotas;
    const quota = quotas[modelId] ?? quotas['*'];
    if (!quota) return;
    const minute = Math.floor(ctx.emu.clock.now() / 60_000);
    const key = `${ctx.account}/${ctx.region}/${modelId}`;
    let w = this.windows.get(key);
    if (!w || w.minute !== minute) this.windows.set(key, (w = { minute, requests: 0, tokens: 0 }));
    if (w.requests + 1 > quota.requestsPerMinute || w.tokens + estimatedTokens > quota.tokensPerMinute) {
      throw new AwsError('ThrottlingException', 'Too many requests, please wait before trying again.');
    }
    w.requests++;
    w.tokens += estimatedTokens;
  }

  /** Adds the output tokens once known. */
  record(ctx: OpContext, modelId: string, tokens: number): void {
    const w = this.windows.get(`${ctx.account}/${ctx.region}/${modelId}`);
    if (w) w.tokens += tokens;
  }
}
