// What every /_emulator/ route takes: requests a web page cannot forge, and JSON bodies checked against a schema.
// Any page a developer visits can send a "simple" cross-origin request (a text/plain or form POST, no CORS
// preflight) to http://127.0.0.1:4580; a JSON content type forces a preflight the emulator never grants, and a
// page's fetch carries its Origin, refused unless it is the emulator's own loopback origin or configured.
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { Emulator } from './emulator.js';
import { AwsError } from './errors.js';
import { parseJson } from './json.js';
import { isLoopback } from './network.js';
import { validate } from './schema.js';
import type { WireRequest } from './wire.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** What the app hands the admin router with each request: the WireRequest, whose body the routes read. */
export interface AdminBindings {
  wire: WireRequest;
}

export function adminGuard(emu: Emulator): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin, new URL(c.req.url).host, emu.config.get().allowedOrigins)) {
      throw new AwsError('AccessDeniedException', 'Emulator admin routes refuse requests from a web page of another origin (Origin header); list the origin in allowedOrigins to allow it.');
    }
    if (WITH_BODY.has(c.req.method)) {
      const type = c.req.header('content-type')?.split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') throw new AwsError('UnsupportedMediaTypeException', 'Emulator admin routes take only application/json bodies.');
    }
    await next();
  };
}

/** The emulator's own origin on a loopback name (a page it served, were it to serve one), or a configured one. */
function originAllowed(origin: string, host: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file: pages) and anything malformed
  }
  return url.protocol === 'http:' && url.host === host && isLoopback(url.hostname);
}

/** The request's JSON body (`{}` when empty), bounded like AWS bodies, as `schema` outputs it. */
export async function jsonInput<S extends z.ZodType>(c: Context, emu: Emulator, schema: S, what: string): Promise<z.output<S>> {
  const bytes = await (c.env as AdminBindings).wire.body(emu.config.get().runtime.maxBodyBytes, emu.bodyBudget);
  let value: unknown = {};
  if (bytes.byteLength) {
    try {
      value = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new AwsError('SerializationException', 'The request body is not valid JSON.');
    }
  }
  return validate(schema, value, what);
}
