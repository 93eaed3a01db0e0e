// Starts a whole emulator: state under the data dir, the embedded S3 (unless an external endpoint is configured)
// and the HTTP port serving both Bedrock APIs. Used by `npm start`, the CLI and the test harness.
import { createApp, errorAnswer, nodeListener } from './app.js';
import { AwsError } from './errors.js';
import { applyPatch, DEFAULT_CONFIG, type Config } from './config.js';
import { createEmulator, type Emulator } from './emulator.js';
import { listen } from './listen.js';
import { startS3Server } from './s3/server.js';
import { join } from 'node:path';

export interface RunningEmulator {
  emu: Emulator;
  config: Config;
  /** http://host:port of both Bedrock APIs. */
  endpoint: string;
  s3Endpoint: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config = DEFAULT_CONFIG, standalone = false): Promise<RunningEmulator> {
  const hosts = { bindHost: config.host, allowedHosts: config.allowedHosts };
  const s3 = config.s3Endpoint
    ? undefined
    : await startS3Server({ host: config.host, port: config.s3Port, dataDir: join(config.dataDir, 's3'), silent: true, limits: config, hosts });
  const s3Endpoint = config.s3Endpoint ?? s3!.endpoint;
  const emu = createEmulator(config, s3Endpoint);
  const app = createApp(emu);
  let http;
  try {
    http = await listen(app.fetch, config.host, config.port, standalone, nodeListener(emu), {
      limits: config,
      hosts,
      refuseHost: (message) => errorAnswer(new AwsError('AccessDeniedException', message)),
    });
  } catch (e) {
    await s3?.close();
    await emu.close();
    throw e;
  }
  const actual = applyPatch(config, { port: http.port, ...(s3 ? { s3Port: s3.port } : {}) });
  emu.config.update({ port: http.port, ...(s3 ? { s3Port: s3.port } : {}) });
  return {
    emu,
    config: actual,
    endpoint: `http://${hostForUrl(config.host)}:${http.port}`,
    s3Endpoint,
    async stop() {
      await http.close();
      await emu.close();
      await s3?.close();
    },
  };
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);
