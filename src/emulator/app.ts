// The HTTP app: emulator admin routes under /_emulator/, every AWS operation through the dispatcher, and one
// error mapper that turns any failure into AWS's error envelope. The app is a fetch function, so the same object
// serves msw handlers and tests; on the port, AWS operations skip it (nodeListener) for the same `serve`.
import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { adminRoutes } from './admin.js';
import { compatApiOf, serveCompat } from './compat/routes.js';
import { storageProblem } from './db.js';
import { dispatch, requestContext, requestTarget, type RequestContext } from './dispatch.js';
import type { Emulator } from './emulator.js';
import { AwsError, isAwsError } from './errors.js';
import { Answer, FetchRequest, nodeRequest, toResponse, writeAnswer, type WireRequest } from './wire.js';

const ADMIN = '/_emulator';

export function createApp(emu: Emulator): Hono {
  const app = new Hono();
  app.route(ADMIN, adminRoutes(emu));
  app.all('*', async (c) => toResponse(await serve(new FetchRequest(c.req.raw, (c.env as Partial<HttpBindings> | undefined)?.incoming), emu)));
  app.onError((err) => errorResponse(err));
  return app;
}

/**
 * One request, whichever way it came, to its answer: the OpenAI- and Anthropic-compatible paths to their own route
 * map (which answers in those APIs' error forms), everything else to the AWS operations, whose every failure
 * becomes AWS's error envelope here.
 */
export async function serve(req: WireRequest, emu: Emulator): Promise<Answer> {
  let ctx: RequestContext | undefined;
  try {
    const target = requestTarget(req.url);
    ctx = requestContext(req.headers, target.query, emu.config.get());
    const compat = compatApiOf(target.rawPath);
    if (compat) return await serveCompat(compat, req, target, emu, ctx);
    return await dispatch(req, target, emu, ctx);
  } catch (err) {
    // Mapped here rather than in onError, so the envelope carries this request's id.
    return errorAnswer(err, ctx?.requestId);
  }
}

/**
 * The port's listener for AWS operations: answers from Node's request and response without fetch objects.
 * Returns false for what it leaves to the app's listener: admin routes, and request targets or hosts that need a
 * URL parser's normalization (the app's Node adapter normalizes or refuses them).
 */
export function nodeListener(emu: Emulator) {
  return (incoming: IncomingMessage | Http2ServerRequest, outgoing: ServerResponse | Http2ServerResponse): boolean => {
    const req = nodeRequest(incoming);
    if (!req || isAdmin(req.url)) return false;
    serve(req, emu)
      .then((answer) => writeAnswer(answer, req, outgoing))
      .catch((err: unknown) => {
        // Writing the answer failed (a header value Node refuses): the error's envelope if nothing has gone out yet.
        if (outgoing.headersSent) return void outgoing.destroy();
        try {
          void writeAnswer(errorAnswer(err), req, outgoing);
        } catch {
          outgoing.destroy();
        }
      });
    return true;
  };
}

/** Whether Hono would route the path to the admin routes (it matches them on the decoded path). */
function isAdmin(url: string): boolean {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.includes('%')) path = decodePath(path);
  return path === ADMIN || path.startsWith(`${ADMIN}/`);
}

/** decodeURI, keeping any malformed escape as it is (as Hono's path decoding does). */
function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
      try {
        return decodeURI(m);
      } catch {
        return m;
      }
    });
  }
}

/** AWS's restJson1 error envelope. Anything that is not an AwsError is a bug: logged, answered as AWS would. */
export function errorAnswer(err: unknown, requestId: string = crypto.randomUUID()): Answer {
  const aws = isAwsError(err) ? err : internal(err);
  return new Answer(aws.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': aws.type, 'x-amzn-RequestId': requestId }, JSON.stringify({ message: aws.message, ...aws.extra }));
}

export const errorResponse = (err: unknown, requestId?: string): Response => toResponse(errorAnswer(err, requestId));

function internal(err: unknown): AwsError {
  console.error('bedrock-batch-emulator: unexpected error', err);
  const problem = storageProblem(err);
  return new AwsError('InternalServerException', problem ? `The emulator couldn't write its data dir (${problem}); the disk may be full.` : 'The emulator hit an internal error; see its log.');
}
