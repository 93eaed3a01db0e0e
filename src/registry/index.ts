// The registry's public API: the catalogue (models, regions, system inference profiles) and lookups over it.
export type { BodyFamily, InferenceUse, Modality } from './types.js';
export type { BatchQuotas, Catalog, InferenceType, ModelInfo, SystemProfile } from './catalog.js';
export { BUILT_IN, buildCatalog } from './catalog.js';
export { loadCatalog, type CatalogLoad } from './catalog-file.js';
export * from './lookup.js';
export * from './arn.js';
export { featuresOf, type ModelFeatures, type CacheTtl, type ToolChoiceForm } from './features.js';
import { BUILT_IN } from './catalog.js';

/** The built-in catalogue's system profiles and regions. */
export const SYSTEM_PROFILES = BUILT_IN.profiles;
export const REGIONS = BUILT_IN.regions;
