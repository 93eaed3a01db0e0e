// How a fake model reports a failure, in its own terms: it refuses a body, denies a feature, or fails because a
// script or fault injection asked it to. The emulator turns each into Bedrock's wire error in one place
// (src/emulator/model-errors.ts); nothing here knows HTTP statuses.

/** Any failure a fake model reports. */
export abstract class ModelFailure extends Error {}

/** The model (or Bedrock in front of it) refuses the request as given: a body, parameter or feature it rejects. */
export class ModelRefusal extends ModelFailure {}

/** The caller may not use a feature of this model as asked (prompt caching on a model without it). */
export class FeatureDenied extends ModelFailure {}

/** A script or fault asked for the failure Bedrock answers with this error type, e.g. `ThrottlingException`. */
export class ScriptedFailure extends ModelFailure {
  constructor(
    readonly errorType: string,
    message: string,
    /** Members the error carries beside its message (ModelErrorException's originalStatusCode, resourceName). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
