// The registry's public API: models, regions, system inference profiles and lookups over them.
export type { BodyFamily, InferenceUse, Modality } from './types.js';
export type { ModelInfo } from './models.js';
export type { SystemProfile } from './profiles.js';
export { SYSTEM_PROFILES } from './profiles.js';
export { REGIONS } from './regions.js';
export * from './lookup.js';
export { featuresOf, type ModelFeatures, type CacheTtl, type ToolChoiceForm } from './features.js';
