// msw request handlers that serve Bedrock (both APIs, in-process through the app's fetch) and forward S3 to the
// emulator's S3 server, for code that talks to the default AWS hostnames with no endpoint override.
//
// msw cannot intercept node:http2, and @aws-sdk/client-bedrock-runtime uses HTTP/2 by default: give the runtime
// client `requestHandler: new NodeHttpHandler()` (or use inProcessClients below). Without it, the runtime client
// goes to the real AWS hostname and fails with a network or credentials error instead of reaching these handlers.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bypass, http, type HttpHandler } from 'msw';
import { createApp } from './app.js';
import type { EmulatorHandle } from './harness.js';

const BEDROCK_HOST = /^https:\/\/bedrock(?:-runtime)?(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\//;
// s3.amazonaws.com, s3.REGION.amazonaws.com, BUCKET.s3.amazonaws.com, BUCKET.s3.REGION.amazonaws.com
const S3_HOST = /^https:\/\/(?:([a-z0-9][a-z0-9.-]*)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(\/.*)?$/;

export function bedrockHandlers(emulator: EmulatorHandle): HttpHandler[] {
  const app = createApp(emulator.server.emu);
  return [
    http.all(BEDROCK_HOST, ({ request }) => app.fetch(request)),
    http.all(S3_HOST, async ({ request }) => {
      const m = S3_HOST.exec(request.url)!;
      const url = new URL(request.url);
      // Virtual-hosted style (BUCKET.s3…) becomes path style on the emulator's S3.
      const bucket = m[1] && !/^s3[.-]/.test(m[1]) ? `/${m[1]}` : '';
      const target = `${emulator.endpoints.s3}${bucket}${url.pathname}${url.search}`;
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      return fetch(bypass(new Request(target, { method: request.method, headers: request.headers, body })));
    }),
  ];
}

/** Clients in their AWS configuration (default hostnames), with the HTTP/1.1 handler msw can intercept. */
export function inProcessClients(region = 'us-east-1') {
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    bedrock: new BedrockClient({ region, credentials }),
    bedrockRuntime: new BedrockRuntimeClient({ region, credentials, requestHandler: new NodeHttpHandler() }),
    s3: new S3Client({ region, credentials }),
  };
}
