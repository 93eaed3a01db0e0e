// Compile-time checks, run by `tsc --noEmit` (the first step of `npm test`): the handler types reject what they exist
// to reject. Each `@ts-expect-error` line breaks the build if it ever compiles, e.g. were handlers typed `any` again.
import type { Handler } from '../../src/emulator/dispatch.js';
import type { OperationInput, OperationName, OperationOutput } from '../../src/emulator/operations.js';
import type { RouteMap } from '../../src/emulator/routes.js';
import type { Answer } from '../../src/emulator/wire.js';

declare const listTags: Handler<'ListTagsForResource'>;

// An operation name the SDK does not have (its command is ListFoundationModelsCommand).
// @ts-expect-error
export const misspelt: OperationName = 'ListFoundationModel';

// @ts-expect-error: a route under a misspelt operation name
export const misrouted: RouteMap = { ListTagForResource: listTags };

// @ts-expect-error: a handler of one operation routed to another
export const swapped: RouteMap = { GetFoundationModel: listTags };

// @ts-expect-error: an output member the operation does not have (ListTagsForResource answers `tags`)
export const wrongMember: OperationOutput<'ListTagsForResource'> = { tag: [] };

// @ts-expect-error: a required output member left out (CreateModelInvocationJob answers `jobArn`)
export const missingMember: OperationOutput<'CreateModelInvocationJob'> = {};

// @ts-expect-error: a value outside the member's enum
export const wrongEnum: OperationOutput<'CreateInferenceProfile'> = { inferenceProfileArn: 'arn', status: 'CREATING' };

// @ts-expect-error: an event stream's operation answers with the frames themselves (an Answer), not an object
export const streamAsObject: OperationOutput<'ConverseStream'> = {};
export const streamAsAnswer = (answer: Answer): OperationOutput<'ConverseStream'> => answer;

// Inputs as the validator leaves them: required members present, timestamps Dates, a blob payload bytes.
export const required = (input: OperationInput<'GetModelInvocationJob'>): string => input.jobIdentifier;
export const timestamp = (input: OperationInput<'ListModelInvocationJobs'>): Date | undefined => input.submitTimeAfter;
export const payload = (input: OperationInput<'InvokeModel'>): Uint8Array | undefined => input.body;
// @ts-expect-error: an input member that may be absent is not typed as always present
export const optional = (input: OperationInput<'ListModelInvocationJobs'>): string => input.nameContains;
