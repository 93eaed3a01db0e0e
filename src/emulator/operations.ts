// Each AWS operation's input and output types, taken from the AWS SDK's own command types (an operation `X` is
// the SDK's `XCommand`), adjusted to what the emulator's side of the wire holds: required members present, no
// `$unknown` union members, a blob payload as the request's bytes, no `$metadata`. Types only: nothing here runs.
import type * as Bedrock from '@aws-sdk/client-bedrock';
import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import type { Answer } from './wire.js';

type Sdk = typeof Bedrock & typeof BedrockRuntime;

/** Every operation the two SDK clients have a command for (`$Command` is their base class, not an operation). */
export type OperationName = { [P in keyof Sdk]: P extends `$${string}` ? never : P extends `${infer Name}Command` ? Name : never }[keyof Sdk];

type CommandOf<K extends OperationName> = InstanceType<Sdk[`${K}Command`]>;
type SdkInput<K extends OperationName> = CommandOf<K>['input'];
type SdkOutput<K extends OperationName> = Awaited<ReturnType<ReturnType<CommandOf<K>['resolveMiddleware']>>>['output'];

/** The SDK's type for a blob payload member: what a client may send (string, bytes, stream, Blob). */
type BlobPayload = NonNullable<BedrockRuntime.InvokeModelCommandInput['body']>;
/** The SDK's type for a document member: any JSON value. */
type Document = NonNullable<BedrockRuntime.ToolUseBlock['input']>;

/**
 * A value as the service model's validation leaves it (protocol/validate.ts): a required member is present (the SDK
 * types it `T | undefined` so clients can build inputs step by step), and a union holds one modelled member (the
 * SDK's `$unknown` variant is for members newer than the client; the validator drops unmodelled members).
 * Timestamps are Dates, blobs bytes and documents JSON, as the SDK types them.
 */
export type Validated<T> = T extends Date | Uint8Array | Document | ((...args: never[]) => unknown)
  ? T
  : T extends { $unknown: [string, unknown] }
    ? never
    : T extends readonly (infer E)[]
      ? Validated<E>[]
      : [T] extends [object]
        ? { [P in keyof T]: Validated<T[P]> }
        : Exclude<T, undefined>;

/** A blob payload member holds the request body's bytes (rest-json.ts's parseInput), absent when the body is empty. */
type OnTheWire<I> = { [P in keyof I]: BlobPayload extends I[P] ? Uint8Array : I[P] };

/** What a handler of operation K receives: its SDK input, as the request parser and validator built it. */
export type OperationInput<K extends OperationName> = Validated<OnTheWire<SdkInput<K>>>;

/** Members of an output whose type is a byte payload or an event stream: the response is those bytes or frames. */
type RawMembers<O> = { [P in keyof O]-?: NonNullable<O[P]> extends Uint8Array | AsyncIterable<unknown> ? P : never }[keyof O];

/**
 * What a handler of operation K returns: its SDK output without `$metadata` (dispatch serializes it per the model),
 * or, for an operation whose output is a byte payload or an event stream, the Answer that carries it.
 */
export type OperationOutput<K extends OperationName> = [RawMembers<SdkOutput<K>>] extends [never] ? Validated<Omit<SdkOutput<K>, '$metadata'>> : Answer;
