// application/vnd.amazon.eventstream responses: a frame per event, written as soon as it is produced, with
// exception frames for errors mid-stream, using the SDK's own codec.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { AwsError } from '../errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });

export const eventFrame = (eventType: string, payload: unknown) =>
  codec.encode({
    headers: { ':message-type': str('event'), ':event-type': str(eventType), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify(payload)),
  });

export const exceptionFrame = (error: AwsError) =>
  codec.encode({
    headers: { ':message-type': str('exception'), ':exception-type': str(error.type), ':content-type': str('application/json') },
    body: fromUtf8(JSON.stringify({ message: error.message, ...error.extra })),
  });

/** A streamed Response whose frames come from an async generator; errors after the first frame become exception frames. */
export function eventStreamResponse(frames: AsyncIterable<Uint8Array>, headers: Record<string, string>): Response {
  const iterator = frames[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream', ...headers } });
}
