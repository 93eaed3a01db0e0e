// ListFoundationModels and GetFoundationModel: the registry's models as AWS describes them, per region. Each base
// model offered in the caller's region is one summary and each of its Provisioned Throughput ids (`…:0:28k`)
// another, PROVISIONED only, listed just before it: the layout of AWS's own answer.
import { foundationModelArn, modelsInRegion, parseBedrockArn, type Catalog, type InferenceType, type ModelInfo } from '../../registry/index.js';
import type { FoundationModelSummary as SdkFoundationModelSummary, InferenceType as SdkInferenceType, ModelCustomization, ModelModality } from '@aws-sdk/client-bedrock';
import type { OpContext } from '../dispatch.js';
import { AwsError } from '../errors.js';
import type { OperationInput, OperationOutput, Validated } from '../operations.js';

/** Every member is filled in, as AWS's own answers have them. */
export type FoundationModelSummary = Required<Validated<SdkFoundationModelSummary>>;

function summary(model: ModelInfo, region: string, modelId: string, inferenceTypes: InferenceType[]): FoundationModelSummary {
  return {
    modelArn: foundationModelArn(modelId, region),
    modelId,
    modelName: model.name,
    providerName: model.provider,
    // The catalog's values are AWS's own (its rows and catalog files are ListFoundationModels answers); the SDK's enum
    // types list only those in the service model (which lacks AWS's INFERENCE_PROFILE), so its values pass as they are.
    inputModalities: [...model.inputModalities] as ModelModality[],
    outputModalities: [...model.outputModalities] as ModelModality[],
    responseStreamingSupported: model.streaming,
    customizationsSupported: [...model.customizations] as ModelCustomization[],
    inferenceTypesSupported: inferenceTypes as SdkInferenceType[],
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

export function listFoundationModels(input: OperationInput<'ListFoundationModels'>, ctx: OpContext): OperationOutput<'ListFoundationModels'> {
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

export function getFoundationModel(input: OperationInput<'GetFoundationModel'>, ctx: OpContext): OperationOutput<'GetFoundationModel'> {
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
