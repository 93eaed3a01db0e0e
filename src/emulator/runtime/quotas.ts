// The runtime API's throttling (InvokeModel, Converse and the compatible routes): RuntimeQuotas.
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';

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
