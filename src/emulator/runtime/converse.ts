// Converse and ConverseStream over the fake models; ConverseStream events are frames named after the union member.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpContext } from '../dispatch.js';
import { fromFakeModel } from '../model-errors.js';
import type { OperationInput, OperationOutput } from '../operations.js';
import { converse, converseStream, type ConverseRequest } from '../../fake-models/index.js';
import { countTokens } from '../../fake-models/tokens.js';
import type { ModelInfo } from '../../registry/index.js';
import { eventFrame, eventStreamAnswer } from './eventstream.js';
import { runtimeModel } from './model-resolution.js';


const call = (ctx: OpContext, model: ModelInfo) => ({
  family: model.family,
  modelId: model.id,
  scripts: ctx.emu.scripts,
  promptCache: ctx.emu.promptCache.scoped(ctx.account, ctx.region),
});

export async function converseHandler(input: OperationInput<'Converse'>, ctx: OpContext): Promise<OperationOutput<'Converse'>> {
  const started = Date.now();
  const model = runtimeModel(ctx, input.modelId);
  ctx.emu.runtimeQuotas.admit(ctx, model.id, () => countTokens(JSON.stringify(input.messages ?? [])));
  // The model's fresh result is answered as it is (its delayMs is no member of the output, so never serialized).
  const result = fromFakeModel(() => converse(call(ctx, model), input));
  if (result.delayMs) await sleep(result.delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.usage.outputTokens);
  result.metrics = { latencyMs: Date.now() - started };
  return result;
}

export async function converseStreamHandler(input: OperationInput<'ConverseStream'>, ctx: OpContext): Promise<OperationOutput<'ConverseStream'>> {
  const started = Date.now();
  const model = runtimeModel(ctx, input.modelId);
  ctx.emu.runtimeQuotas.admit(ctx, model.id, () => countTokens(JSON.stringify(input.messages ?? [])));
  const result = fromFakeModel(() => converseStream(call(ctx, model), input));
  if (result.delayMs) await sleep(result.delayMs);
  ctx.emu.runtimeQuotas.record(ctx, model.id, result.outputTokens);
  async function* frames() {
    for (const event of result.events) {
      const [name, members] = Object.entries(event)[0];
      const payload = name === 'metadata' ? { ...members, metrics: { latencyMs: Date.now() - started } } : members;
      yield eventFrame(name, payload);
    }
  }
  return eventStreamAnswer(frames(), { 'x-amzn-requestid': ctx.requestId });
}
