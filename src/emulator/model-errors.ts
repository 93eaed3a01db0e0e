// The one place the fake models' failures become Bedrock's errors: every caller of a fake model (the runtime
// operations, the batch runners, the OpenAI- and Anthropic-compatible routes) runs it through `fromFakeModel`.
import { FeatureDenied, ModelFailure, ModelRefusal, ScriptedFailure } from '../fake-models/errors.js';
import { AwsError, ERROR_STATUS, type AwsErrorType } from './errors.js';

/** Bedrock's error for a failure a fake model reported. */
export function awsErrorOf(failure: ModelFailure): AwsError {
  if (failure instanceof ModelRefusal) return new AwsError('ValidationException', failure.message);
  if (failure instanceof FeatureDenied) return new AwsError('AccessDeniedException', failure.message);
  if (failure instanceof ScriptedFailure && Object.hasOwn(ERROR_STATUS, failure.errorType)) {
    return new AwsError(failure.errorType as AwsErrorType, failure.message, failure.details);
  }
  // Scripts and faults are validated against ERROR_STATUS on the way in, so only a new kind of failure lands here.
  return new AwsError('InternalServerException', failure.message);
}

/** Runs a fake-model call; a failure it reports leaves as the AwsError Bedrock would answer. */
export function fromFakeModel<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw e instanceof ModelFailure ? awsErrorOf(e) : e;
  }
}
