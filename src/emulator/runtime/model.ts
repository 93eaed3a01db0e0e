// What a runtime modelId means for the caller: the registry's rules for the region (models, system and
// application inference profiles), plus the per-model request quotas.
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { resolveModel, type ModelInfo } from '../../registry/index.js';

/**
 * Plain model and system-profile ids resolve from static tables, so each id that worked is kept, per region. ARNs
 * (any account id; application profiles, which can be deleted) are resolved every time.
 */
const resolvedIds = new Map<string, Map<string, ModelInfo>>();

export function runtimeModel(ctx: OpContext, modelId: string): ModelInfo {
  const known = resolvedIds.get(ctx.region)?.get(modelId);
  if (known) return known;
  const resolved = resolveModel(modelId, ctx.region, 'on-demand', {
    applicationProfile: (arn) => ctx.emu.profiles.lookup(ctx, arn),
  });
  if (!resolved.ok) throw new AwsError(resolved.errorType, resolved.message);
  if (!modelId.startsWith('arn:')) {
    if (!resolvedIds.has(ctx.region)) resolvedIds.set(ctx.region, new Map());
    resolvedIds.get(ctx.region)!.set(modelId, resolved.model);
  }
  return resolved.model;
}

/**
 * Requests and tokens per minute per account, region and model, over a sliding minute of the emulator's clock.
 * Limits come from config.runtime.quotas (a model id or '*'); with none set nothing is throttled.
 */
export class RuntimeQuotas {
  private readonly recent = new Map<string, { at: number; tokens: number }[]>();

  private window(ctx: OpContext, modelId: string) {
    const key = `${ctx.account}/${ctx.region}/${modelId}`;
    const since = ctx.emu.clock.now() - 60_000;
    const entries = (this.recent.get(key) ?? []).filter((e) => e.at > since);
    this.recent.set(key, entries);
    return entries;
  }

  /** `estimate` (the request's tokens) is only worked out when a quota applies. */
  admit(ctx: OpContext, modelId: string, estimate: () => number): void {
    const quotas = ctx.emu.config.get().runtime.quotas;
    const quota = quotas[modelId] ?? quotas['*'];
    if (!quota) return;
    const estimatedTokens = estimate();
    const entries = this.window(ctx, modelId);
    const tokens = entries.reduce((n, e) => n + e.tokens, 0);
    if (entries.length + 1 > quota.requestsPerMinute || tokens + estimatedTokens > quota.tokensPerMinute) {
      throw new AwsError('ThrottlingException', 'Too many requests, please wait before trying again.');
    }
    entries.push({ at: ctx.emu.clock.now(), tokens: estimatedTokens });
  }

  /** Adds the output tokens once known. */
  record(ctx: OpContext, modelId: string, tokens: number): void {
    if (!this.recent.size) return; // nothing admitted under a quota yet
    const last = this.recent.get(`${ctx.account}/${ctx.region}/${modelId}`)?.at(-1);
    if (last) last.tokens += tokens;
  }
}
