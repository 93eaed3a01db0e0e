// Starts a whole emulator: state under the data dir (locked against a second emulator), the embedded S3 (unless an
// external endpoint is configured) and the HTTP port serving both Bedrock APIs. Used by `npm start`, the CLI and the
// test harness.
import { createApp } from './app.js';
import { applyPatch, DEFAULT_CONFIG, type Config } from './config.js';
import { createEmulator, type Emulator } from './emulator.js';
import { lockDataDir } from './data-dir-lock.js';
import { listen, type Listening } from './listen.js';
import { hostForUrl } from './network.js';
import { startS3Server, type S3Server } from './s3/server.js';
import { join } from 'node:path';

export interface RunningEmulator {
  emu: Emulator;
  config: Config;
  /** http://host:port of both Bedrock APIs. */
  endpoint: string;
  s3Endpoint: string;
  /** The embedded S3, when one runs (no `s3Endpoint` configured). */
  embeddedS3?: S3Server;
  stop(): Promise<void>;
}

export async function startServer(config: Config = DEFAULT_CONFIG): Promise<RunningEmulator> {
  // Taken first and released last: nothing under the data dir is touched without it.
  const lock = lockDataDir(config.dataDir);
  let s3: S3Server | undefined;
  let emu: Emulator | undefined;
  let http: Listening;
  // Read per request, so POST /_emulator/config can turn forms on or off.
  const allowPostForms = () => (emu?.config.get() ?? config).s3AllowPostForms;
  const hosts = { bindHost: config.host, allowedHosts: config.allowedHosts };
  try {
    s3 = config.s3Endpoint
      ? undefined
      : await startS3Server({ host: config.host, port: config.s3Port, dataDir: join(config.dataDir, 's3'), silent: true, allowPostForms, limits: config, hosts });
    emu = createEmulator(config, config.s3Endpoint ?? s3!.endpoint, s3?.objects);
    http = await listen(createApp(emu, hosts).serve, config.host, config.port, config);
  } catch (e) {
    await emu?.close();
    await s3?.close();
    lock.release();
    throw e;
  }
  const running = emu;
  const actual = applyPatch(config, { port: http.port, ...(s3 ? { s3Port: s3.port } : {}) });
  running.config.update({ port: http.port, ...(s3 ? { s3Port: s3.port } : {}) });
  return {
    emu: running,
    config: actual,
    endpoint: `http://${hostForUrl(config.host)}:${http.port}`,
    s3Endpoint: running.s3Endpoint,
    embeddedS3: s3,
    async stop() {
      try {
        await http.close();
        await running.close();
        await s3?.close();
      } finally {
        lock.release();
      }
    },
  };
}
