// The route map: which code answers each AWS operation. Paths and methods come from the service models
// (src/emulator/service-models); an operation missing here answers UnknownOperationException.
import { getFoundationModel, listFoundationModels } from './control/foundation-models.js';
import { createInferenceProfile, deleteInferenceProfile, getInferenceProfile, listInferenceProfiles } from './control/inference-profiles.js';
import { listTagsForResource, tagResource, untagResource } from './control/tags.js';
import type { Handler } from './dispatch.js';
import type { OperationName } from './operations.js';
import { createModelInvocationJob, getModelInvocationJob, listModelInvocationJobs, stopModelInvocationJob } from './jobs/handlers.js';
import { converseHandler, converseStreamHandler } from './runtime/converse.js';
import { countTokensHandler } from './runtime/count-tokens.js';
import { invokeModelHandler, invokeModelWithResponseStreamHandler } from './runtime/invoke.js';

/** A route map: any SDK operation, bound to a handler of that operation's types. */
export type RouteMap = { [K in OperationName]?: Handler<K> };

const routes = {
  // Foundation models, inference profiles, tags (control plane)
  ListFoundationModels: listFoundationModels,
  GetFoundationModel: getFoundationModel,
  ListInferenceProfiles: listInferenceProfiles,
  GetInferenceProfile: getInferenceProfile,
  CreateInferenceProfile: createInferenceProfile,
  DeleteInferenceProfile: deleteInferenceProfile,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,

  // Batch inference jobs (control plane)
  CreateModelInvocationJob: createModelInvocationJob,
  GetModelInvocationJob: getModelInvocationJob,
  ListModelInvocationJobs: listModelInvocationJobs,
  StopModelInvocationJob: stopModelInvocationJob,

  // Runtime
  InvokeModel: invokeModelHandler,
  InvokeModelWithResponseStream: invokeModelWithResponseStreamHandler,
  Converse: converseHandler,
  ConverseStream: converseStreamHandler,
  CountTokens: countTokensHandler,
} satisfies RouteMap;

/** The operations the emulator implements. */
export type RoutedOperation = keyof typeof routes;

/** Each implemented operation's handler, typed by the operation (so dispatch can call one with its input type). */
export const HANDLERS: { [K in RoutedOperation]: Handler<K> } = routes;

export const isRouted = (name: string): name is RoutedOperation => Object.hasOwn(HANDLERS, name);
