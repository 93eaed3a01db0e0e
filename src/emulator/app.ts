// The HTTP app: one way in and one way out for everything the Bedrock port serves. Every transport (the port's
// HTTP/1.1 and h2c listener, fetch for msw and tests) hands `serve` a WireRequest; `serve` parses its target once,
// picks the surface by the path's prefix (/_emulator/ → admin routes, /openai/ and /anthropic/ → the compatible
// APIs, anything else → the AWS operations), and turns any failure into that surface's error wire form, here.
import { Hono } from 'hono';
import { adminRoutes, type AdminBindings } from './admin.js';
import { compatApiOf, serveCompat } from './compat/routes.js';
import { ApiError, errorBody, type CompatApi } from './compat/errors.js';
import { storageProblem } from './db.js';
import { dispatch, requestContext, requestTarget, type RequestTarget } from './dispatch.js';
import { newRequestId } from './request-context.js';
import type { Emulator } from './emulator.js';
import { AwsError, isAwsError } from './errors.js';
import { hostRefusal, type HostPolicy } from './network.js';
import { Answer, FetchRequest, toResponse, type WireRequest } from './wire.js';

/** Who answers a request, and so in which form its errors leave. */
export type Surface = 'aws' | 'admin' | CompatApi;

const ADMIN = '/_emulator';

export interface App {
  /** One request from any transport to its answer; never throws. */
  serve(req: WireRequest): Promise<Answer>;
  /** The same, as a fetch function (msw handlers, tests). */
  fetch(request: Request): Promise<Response>;
}

/** `hosts`: the Host names the port serves (network.ts); the in-process fetch (msw) takes every name. */
export function createApp(emu: Emulator, hosts?: HostPolicy): App {
  const admin = adminRouter(emu);
  const serve = async (req: WireRequest): Promise<Answer> => {
    let surface: Surface = 'aws'; // until the path says otherwise: a refused Host answers as the port's API does
    let requestId: string | undefined;
    try {
      const refused = hosts && hostRefusal(req.authority, hosts);
      if (refused) throw new AwsError('AccessDeniedException', refused);
      const target = requestTarget(req.url);
      const ctx = requestContext(req.headers, target.query, emu.config.get());
      requestId = ctx.requestId;
      surface = surfaceOf(target.rawPath);
      const answer =
        surface === 'aws' ? await dispatch(req, target, emu, ctx) : surface === 'admin' ? await admin(req, target) : await serveCompat(surface, req, target, emu, ctx);
      checkHeaders(answer);
      return answer;
    } catch (err) {
      return errorAnswer(err, requestId, surface);
    }
  };
  return { serve, fetch: async (request) => toResponse(await serve(new FetchRequest(request))) };
}

function surfaceOf(rawPath: string): Surface {
  if (rawPath.startsWith(ADMIN) && (rawPath.length === ADMIN.length || rawPath[ADMIN.length] === '/')) return 'admin';
  return compatApiOf(rawPath) ?? 'aws';
}

// What fetch's Request constructor refuses (CONNECT, TRACE, TRACK) never reaches Hono.
const ADMIN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/**
 * The admin routes (Hono sub-apps, admin.ts) behind `serve`: they get the request's method, URL and headers, read
 * its body from the WireRequest (so through the same limits), and throw their errors back out to `serve`'s mapper.
 */
function adminRouter(emu: Emulator): (req: WireRequest, target: RequestTarget) => Promise<Answer> {
  const router = new Hono<{ Bindings: AdminBindings }>();
  router.route(ADMIN, adminRoutes(emu));
  router.onError((err) => {
    throw err;
  });
  return async (req, { rawPath, query }) => {
    if (!ADMIN_METHODS.has(req.method)) throw new AwsError('MethodNotAllowedException', `Method ${req.method} is not allowed on emulator admin routes.`);
    const search = query.size ? `?${query}` : '';
    const request = new Request(`http://${req.host()}${rawPath}${search}`, { method: req.method, headers: req.fetchHeaders() });
    const res = await router.fetch(request, { wire: req });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return new Answer(res.status, headers, new Uint8Array(await res.arrayBuffer()));
  };
}

// RFC 9110's token and field-value characters, as Node's writeHead and fetch's Headers check them.
const HEADER_NAME = /^[!#$%&'*+.^`|~\w-]+$/;
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** An answer whose headers a transport would refuse to write fails here, inside the error mapper's reach. */
function checkHeaders(answer: Answer): void {
  for (const name in answer.headers) {
    if (!HEADER_NAME.test(name) || BAD_HEADER_VALUE.test(answer.headers[name])) throw new Error(`Invalid answer header ${JSON.stringify(name)}.`);
  }
}

/**
 * The one error mapper: any failure in the wire form of the surface that was serving the request. AWS operations
 * and admin routes: AWS's restJson1 envelope (status, `x-amzn-ErrorType`, `{"message"}`); the OpenAI- and
 * Anthropic-compatible routes: those APIs' error bodies (compat/errors.ts). Anything that is neither an AwsError
 * nor an ApiError is a bug: logged, answered as AWS's InternalServerException, without its details.
 */
export function errorAnswer(err: unknown, requestId: string = newRequestId(), surface: Surface = 'aws'): Answer {
  const known = isAwsError(err) || err instanceof ApiError ? err : internal(err);
  if (surface === 'openai' || surface === 'anthropic') {
    const { status, body } = errorBody(surface, known);
    return new Answer(status, { 'content-type': 'application/json', 'x-amzn-RequestId': requestId }, JSON.stringify(body));
  }
  const aws = isAwsError(known) ? known : internal(known);
  return new Answer(aws.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': aws.type, 'x-amzn-RequestId': requestId }, JSON.stringify({ message: aws.message, ...aws.extra }));
}

function internal(err: unknown): AwsError {
  console.error('bedrock-batch-emulator: unexpected error', err);
  const problem = storageProblem(err);
  return new AwsError('InternalServerException', problem ? `The emulator couldn't write its data dir (${problem}); the disk may be full.` : 'The emulator hit an internal error; see its log.');
}
