// What a runtime modelId means for the caller: the registry's rules for the region (models, system and
// application inference profiles). The per-model request quotas are in quotas.ts.
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import { FAMILIES } from '../../fake-models/index.js';
import { resolveModel, type Catalog, type InferenceUse, type ModelInfo, type ResolveResult } from '../../registry/index.js';

/**
 * What a modelId means for the caller in its region and use: the catalogue's rules, application profiles from the
 * caller's account. An id the catalogue lacks gets AWS's answer plus, once per id, a log line on how to add it; a
 * model whose body family has no fake model is refused with a message naming the family.
 */
export function resolveForCaller(ctx: OpContext, modelId: string, use: InferenceUse): Extract<ResolveResult, { ok: true }> {
  const resolved = resolveModel(modelId, ctx.region, use, {
    catalog: ctx.emu.catalog,
    applicationProfile: (arn) => ctx.emu.profiles.lookup(ctx, arn),
  });
  if (!resolved.ok) {
    // Bounded, so that a flood of made-up ids cannot grow the set (or the log) without end.
    if (resolved.unknown && !ctx.emu.unknownModelIds.has(modelId) && ctx.emu.unknownModelIds.size < 1000) {
      ctx.emu.unknownModelIds.add(modelId);
      console.warn(
        `bedrock-batch-emulator: model id '${modelId}' is not in the emulator's catalogue (answered "${resolved.message}"); if your account has it, ` +
          `capture it with \`aws bedrock list-foundation-models > models.json\` and \`aws bedrock list-inference-profiles > profiles.json\` and start with --catalog models.json,profiles.json`,
      );
    }
    throw new AwsError(resolved.errorType, resolved.message);
  }
  if (!Object.hasOwn(FAMILIES, resolved.model.family)) {
    throw new AwsError(
      'ValidationException',
      `The emulator has no fake model for ${resolved.model.id}: its request body family '${resolved.model.family}' is not implemented (the model is listed from the catalogue but cannot be invoked here).`,
    );
  }
  return resolved;
}

/**
 * Plain model and system-profile ids resolve from a fixed catalogue, so each id that worked is kept, per catalogue
 * and region. ARNs (any account id; application profiles, which can be deleted) are resolved every time.
 */
const resolvedIds = new WeakMap<Catalog, Map<string, ModelInfo>>();

export function runtimeModel(ctx: OpContext, modelId: string): ModelInfo {
  const cache = resolvedIds.get(ctx.emu.catalog) ?? resolvedIds.set(ctx.emu.catalog, new Map()).get(ctx.emu.catalog)!;
  const cacheKey = `${ctx.region} ${modelId}`;
  const known = cache.get(cacheKey);
  if (known) return known;
  const { model } = resolveForCaller(ctx, modelId, 'on-demand');
  if (!modelId.startsWith('arn:')) cache.set(cacheKey, model);
  return model;
}
