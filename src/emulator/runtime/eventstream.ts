// application/vnd.amazon.eventstream responses: a frame per event, written as soon as it is produced, with
// exception frames for errors mid-stream, using the SDK's own codec.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AwsError, isAwsError } from '../errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });

export const eventFrame = (eventType: string, payload: unknown) =>
  codec.encode({
    headers: { ':message-type': str('event'), ':event-type': str(eventType), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  });

/** `:exception-type` is the stream union's member name (`modelStreamErrorException`), which SDKs map to the error. */
export const exceptionFrame = (error: AwsError) =>
  codec.encode({
    headers: { ':message-type': str('exception'), ':exception-type': str(error.type[0].toLowerCase() + error.type.slice(1)), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify({ message: error.message, ...error.extra })),
  });

/** A streamed Response whose frames come from an async generator; an error once streaming has begun is sent as an
 * exception frame, as Bedrock does, since the HTTP status is already 200. */
export function eventStreamResponse(frames: AsyncIterable<Uint8Array>, headers: Record<string, string>): Response {
  const iterator = frames[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        const error = isAwsError(e) ? e : new AwsError('InternalServerException', 'The emulator hit an internal error while streaming.');
        controller.enqueue(exceptionFrame(error));
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream', ...headers } });
}
