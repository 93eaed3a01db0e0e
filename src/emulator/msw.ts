// msw request handlers that serve Bedrock (both AWS APIs, and the runtime host's /openai/v1 and /anthropic paths,
// in-process through the app's fetch) and forward S3 to the emulator's S3 server, for code that talks to the
// default AWS hostnames with no endpoint override.
//
// msw cannot intercept node:http2, and @aws-sdk/client-bedrock-runtime uses HTTP/2 by default: give the runtime
// client `requestHandler: new NodeHttpHandler()` (from @smithy/node-http-handler), or take clients from
// inProcessClients(). setupBedrockMsw() makes a forgotten handler fail at once with an error saying so; with plain
// setupServer() such a client goes past msw to the real AWS endpoint.
// msw doesn't answer `Expect: 100-continue` (mswjs/interceptors#575), which S3 clients send for bodies of 2 MB
// and more: each such request then waits 6 s before sending its body. `expectContinueHeader: false` avoids it.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bypass, http, type RequestHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import http2 from 'node:http2';
import { syncBuiltinESMExports } from 'node:module';
import { createApp } from './app.js';
import type { Emulator } from './emulator.js';
import type { EmulatorHandle } from './harness.js';
import type { RunningEmulator } from './server.js';

/** What the handlers serve: a harness handle (or, inside this package, a running server or an Emulator whose S3 endpoint is up). */
type MswTarget = EmulatorHandle | RunningEmulator | Emulator;

const BEDROCK_URL = /^https:\/\/bedrock(?:-runtime)?(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\//;
// s3.amazonaws.com, s3.REGION…, s3-REGION…, s3.dualstack.REGION…, and the same behind `BUCKET.` (virtual-hosted).
const S3_URL = /^https:\/\/(?:([^/]+?)\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com\//;

export function bedrockHandlers(target: EmulatorHandle): RequestHandler[];
/** @internal */
export function bedrockHandlers(target: MswTarget): RequestHandler[];
export function bedrockHandlers(target: MswTarget): RequestHandler[] {
  const emu = 'server' in target ? target.server.emu : 'emu' in target ? target.emu : target;
  const app = createApp(emu);
  return [
    http.all(BEDROCK_URL, ({ request }) => app.fetch(request)),
    http.all(S3_URL, async ({ request }) => {
      const url = new URL(request.url);
      const bucket = S3_URL.exec(request.url)![1];
      // Virtual-hosted style (BUCKET.s3…) becomes path style on the emulator's S3.
      const target = `${emu.s3Endpoint}${bucket ? `/${bucket}` : ''}${url.pathname}${url.search}`;
      const headers = new Headers(request.headers);
      // Hop-by-hop headers fetch refuses or sets itself (the SDK sends Expect: 100-continue for large bodies).
      for (const h of ['host', 'expect', 'connection', 'keep-alive', 'transfer-encoding']) headers.delete(h);
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      return fetch(bypass(new Request(target, { method: request.method, headers, body })));
    }),
  ];
}

/**
 * An msw server with the Bedrock and S3 handlers (plus any of yours). While it listens, an HTTP/2 connection to
 * an AWS hostname — a runtime client without the HTTP/1.1 handler, which msw can't see — fails with an error
 * that names the fix, instead of reaching AWS. Unhandled requests default to 'bypass' (local endpoints work).
 */
export function setupBedrockMsw(target: EmulatorHandle, ...handlers: RequestHandler[]): SetupServer;
/** @internal */
export function setupBedrockMsw(target: MswTarget, ...handlers: RequestHandler[]): SetupServer;
export function setupBedrockMsw(target: MswTarget, ...handlers: RequestHandler[]): SetupServer {
  const server = setupServer(...handlers, ...bedrockHandlers(target));
  const listen = server.listen.bind(server);
  const close = server.close.bind(server);
  let release: (() => void) | undefined;
  server.listen = (options) => {
    listen({ onUnhandledRequest: 'bypass', ...options });
    release ??= refuseHttp2ToAws();
  };
  server.close = () => {
    release?.();
    release = undefined;
    close();
  };
  return server;
}

export class Http2NotInterceptedError extends Error {
  override name = 'Http2NotInterceptedError';
  constructor(host: string) {
    super(
      `An AWS SDK client opened HTTP/2 to ${host}, which msw cannot intercept (the request would go to AWS). ` +
        `Give the BedrockRuntimeClient requestHandler: new NodeHttpHandler() from @smithy/node-http-handler, ` +
        `or build clients with inProcessClients() from bedrock-batch-emulator/msw.`,
    );
  }
}

/** Makes http2.connect to *.amazonaws.com throw Http2NotInterceptedError; returns the function that undoes it. */
export function refuseHttp2ToAws(): () => void {
  const original = http2.connect;
  const guarded = function (this: unknown, authority: string | URL, ...rest: unknown[]) {
    const host = new URL(String(authority)).hostname;
    if (host === 'amazonaws.com' || host.endsWith('.amazonaws.com')) throw new Http2NotInterceptedError(host);
    return (original as (...args: unknown[]) => http2.ClientHttp2Session).call(this, authority, ...rest);
  } as typeof http2.connect;
  http2.connect = guarded;
  syncBuiltinESMExports();
  return () => {
    if (http2.connect === guarded) http2.connect = original;
    syncBuiltinESMExports();
  };
}

/**
 * Clients in their AWS configuration (default hostnames): the runtime one on the HTTP/1.1 handler msw sees, S3
 * without `Expect: 100-continue`, which msw leaves unanswered.
 */
export function inProcessClients(region = 'us-east-1') {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    bedrock: new BedrockClient({ region, credentials }),
    bedrockRuntime: new BedrockRuntimeClient({ region, credentials, requestHandler: new NodeHttpHandler() }),
    s3: new S3Client({ region, credentials, expectContinueHeader: false }),
  };
}
