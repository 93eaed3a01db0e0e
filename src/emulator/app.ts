// The HTTP app: emulator admin routes under /_emulator/, every AWS operation through the dispatcher, and one
// error mapper that turns any failure into AWS's error envelope. The app is a fetch function, so the same object
// serves a port, msw handlers and tests.
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { adminRoutes } from './admin.js';
import { dispatch, requestContext, requestTarget } from './dispatch.js';
import type { Emulator } from './emulator.js';
import { AwsError, isAwsError } from './errors.js';

export function createApp(emu: Emulator): Hono {
  const app = new Hono();
  app.route('/_emulator', adminRoutes(emu));
  app.all('*', (c) => {
    const target = requestTarget(c.req.url);
    const ctx = requestContext(c.req.raw.headers, target.query, emu.config.get());
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    // Errors are mapped here rather than in onError, so the envelope carries this request's id.
    return dispatch(c.req.raw, target, emu, ctx, incoming).catch((err: unknown) => errorResponse(err, ctx.requestId));
  });
  app.onError((err) => errorResponse(err));
  return app;
}

/** AWS's restJson1 error envelope. Anything that is not an AwsError is a bug: logged, answered as AWS would. */
export function errorResponse(err: unknown, requestId: string = crypto.randomUUID()): Response {
  const aws = isAwsError(err) ? err : internal(err);
  return new Response(JSON.stringify({ message: aws.message, ...aws.extra }), {
    status: aws.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': aws.type, 'x-amzn-RequestId': requestId },
  });
}

function internal(err: unknown): AwsError {
  console.error('bedrock-batch-emulator: unexpected error', err);
  return new AwsError('InternalServerException', 'The emulator hit an internal error; see its log.');
}
