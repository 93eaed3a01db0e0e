// The route map: which code answers each AWS operation. Paths and methods come from the service models
// (src/emulator/service-models); an operation missing here answers UnknownOperationException.
import type { Handler } from './dispatch.js';

export const HANDLERS: Partial<Record<string, Handler>> = {
  // Foundation models, inference profiles, tags (control plane)

  // Batch inference jobs (control plane)

  // Runtime
};
