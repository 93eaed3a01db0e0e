// ListFoundationModels and GetFoundationModel: the registry's models as AWS describes them, per region. Each base
// model offered in the caller's region is one summary and each of its Provisioned Throughput ids (`…:0:28k`)
// another, PROVISIONED only, listed just before it: the layout of AWS's own answer.
import { foundationModelArn, modelsInRegion, parseBedrockArn, type Catalog, type ModelInfo } from '../../registry/index.js';
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';

export interface FoundationModelSummary {
  modelArn: string;
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: string[];
  outputModalities: string[];
  responseStreamingSupported: boolean;
  customizationsSupported: string[];
  inferenceTypesSupported: string[];
  modelLifecycle: { status: 'ACTIVE' | 'LEGACY' };
}

function summary(model: ModelInfo, region: string, modelId: string, inferenceTypes: string[]): FoundationModelSummary {
  return {
    modelArn: foundationModelArn(modelId, region),
    modelId,
    modelName: model.name,
    providerName: model.provider,
    inputModalities: [...model.inputModalities],
    outputModalities: [...model.outputModalities],
    responseStreamingSupported: model.streaming,
    customizationsSupported: [...model.customizations],
    inferenceTypesSupported: inferenceTypes,
    modelLifecycle: { status: model.lifecycle },
  };
}

/** Every foundation-model entry AWS lists in a region. PROVISIONED belongs to the Provisioned Throughput ids only. */
export function foundationModelsIn(region: string, catalog: Catalog): FoundationModelSummary[] {
  return modelsInRegion(region, catalog).flatMap((m) => [
    ...m.provisionedThroughputIds.map((id) => summary(m, region, id, ['PROVISIONED'])),
    summary(m, region, m.id, m.inferenceTypes.filter((t) => t !== 'PROVISIONED')),
  ]);
}

interface ListInput {
  byProvider?: string;
  byCustomizationType?: string;
  byOutputModality?: string;
  byInferenceType?: string;
}

export function listFoundationModels(input: ListInput, ctx: OpContext) {
  // AWS matches the provider case-insensitively (`--by-provider anthropic` lists "Anthropic" models).
  const provider = input.byProvider?.toLowerCase();
  const modelSummaries = foundationModelsIn(ctx.region, ctx.emu.catalog).filter(
    (m) =>
      (provider === undefined || m.providerName.toLowerCase() === provider) &&
      (input.byCustomizationType === undefined || m.customizationsSupported.includes(input.byCustomizationType)) &&
      (input.byOutputModality === undefined || m.outputModalities.includes(input.byOutputModality)) &&
      (input.byInferenceType === undefined || m.inferenceTypesSupported.includes(input.byInferenceType)),
  );
  return { modelSummaries };
}

export function getFoundationModel(input: { modelIdentifier: string }, ctx: OpContext) {
  const id = input.modelIdentifier;
  const arn = parseBedrockArn(id, 'foundation-model');
  // A foundation-model ARN names its region: only the caller's region answers for it.
  const modelId = arn ? (arn.region === ctx.region ? arn.resourceId : undefined) : id;
  const modelDetails = modelId === undefined ? undefined : foundationModelsIn(ctx.region, ctx.emu.catalog).find((m) => m.modelId === modelId);
  if (!modelDetails) {
    throw new AwsError('ValidationException', `Could not find model with identifier ${id}`);
  }
  return { modelDetails };
}
