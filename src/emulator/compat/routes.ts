// The OpenAI- and Anthropic-compatible APIs of the runtime host: their own small route map under `/openai/v1` and
// `/anthropic/v1`, served by the same serve() as AWS operations (port, fetch, msw). Authentication as on every
// route (strict mode: SigV4, `Authorization: Bearer <Bedrock API key>`, and on /anthropic also `x-api-key`); region
// from SigV4, else the default region. Failures are thrown to serve's error mapper, which answers them in the
// API's own error form (errors.ts).
import { authenticate } from '../auth/verify.js';
import type { OpContext, RequestContext, RequestTarget } from '../dispatch.js';
import type { Emulator } from '../emulator.js';
import type { Answer, WireRequest } from '../wire.js';
import { cancelBatch, createBatch, listBatches, retrieveBatch } from './batches.js';
import { chatCompletions } from './chat-completions.js';
import { ApiError, type CompatApi } from './errors.js';
import { messages } from './messages.js';
import { responses } from './responses.js';

type CompatHandler = (body: Uint8Array, ctx: OpContext, params: { id?: string; query: URLSearchParams }) => Promise<Answer> | Answer;

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  name: string;
  handler: CompatHandler;
}

const ROUTES: Record<CompatApi, Route[]> = {
  openai: [
    { method: 'POST', path: /^\/openai\/v1\/chat\/completions$/, name: 'ChatCompletions', handler: chatCompletions },
    { method: 'POST', path: /^\/openai\/v1\/responses$/, name: 'Responses', handler: responses },
    { method: 'POST', path: /^\/openai\/v1\/batches$/, name: 'CreateBatch', handler: createBatch },
    { method: 'GET', path: /^\/openai\/v1\/batches$/, name: 'ListBatches', handler: listBatches },
    { method: 'GET', path: /^\/openai\/v1\/batches\/(?<id>[^/]+)$/, name: 'RetrieveBatch', handler: retrieveBatch },
    { method: 'POST', path: /^\/openai\/v1\/batches\/(?<id>[^/]+)\/cancel$/, name: 'CancelBatch', handler: cancelBatch },
    // AWS's HTTP example cancels with GET (its SDK example, as OpenAI's API, with POST): both are taken.
    { method: 'GET', path: /^\/openai\/v1\/batches\/(?<id>[^/]+)\/cancel$/, name: 'CancelBatch', handler: cancelBatch },
  ],
  anthropic: [{ method: 'POST', path: /^\/anthropic\/v1\/messages$/, name: 'Messages', handler: messages }],
};

/** The compatible API a request path belongs to, if any. */
export function compatApiOf(rawPath: string): CompatApi | undefined {
  if (rawPath.startsWith('/openai/')) return 'openai';
  if (rawPath.startsWith('/anthropic/')) return 'anthropic';
  return undefined;
}

/** The Anthropic SDK sends its key as `x-api-key`: checked as the Bearer token it is. */
function withApiKey(req: WireRequest, api: CompatApi): WireRequest {
  const key = api === 'anthropic' ? req.headers.get('x-api-key') : null;
  if (key === null || req.headers.get('authorization') !== null) return req;
  return {
    method: req.method,
    url: req.url,
    authority: req.authority,
    host: () => req.host(),
    fetchHeaders: () => req.fetchHeaders(),
    body: (limit, budget) => req.body(limit, budget),
    headers: { get: (name) => (name === 'authorization' ? `Bearer ${key}` : req.headers.get(name)) },
  };
}

/** Answers one request to a compatible API; the caller maps a thrown error to that API's error form. */
export async function serveCompat(api: CompatApi, req: WireRequest, target: RequestTarget, emu: Emulator, ctx: RequestContext): Promise<Answer> {
  const { rawPath, query } = target;
  const matches = ROUTES[api].filter((r) => r.path.test(rawPath));
  const route = matches.find((r) => r.method === req.method);
  if (!route) {
    if (matches.length) throw new ApiError(405, `Method ${req.method} is not allowed on ${rawPath}.`, null, 'method_not_allowed');
    throw new ApiError(404, `Unknown request URL: ${req.method} ${rawPath}. Amazon Bedrock serves ${api === 'openai' ? '/openai/v1/chat/completions, /openai/v1/responses and /openai/v1/batches' : '/anthropic/v1/messages'} here.`, null, 'unknown_url');
  }
  const body = await req.body(emu.config.get().runtime.maxBodyBytes, emu.bodyBudget);
  const caller = authenticate(withApiKey(req, api), rawPath, body, ctx, emu);
  const id = route.path.exec(rawPath)?.groups?.id;
  return await route.handler(body, Object.assign({}, caller, { emu, operation: route.name, headers: req.headers }), { id: id && decodeURIComponent(id), query });
}
