#!/usr/bin/env node
// The CLI's launcher: the sources are TypeScript, run through tsx's loader; `serve` runs the compiled emulator.
import { register } from 'tsx/esm/api';

// The SDK's notice about its future Node requirement concerns this package's maintainers, not a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Piped into head and the like: a closed stdout ends the command quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
if (process.argv[2] === 'serve') {
  // The emulator as `npm start` runs it: compiled once, not through tsx's loader (which costs ~150 ms a start).
  const { builtEmulator } = await import('../scripts/start.mjs');
  (await builtEmulator()).run(process.argv.slice(3));
} else {
  register();
  const { cli } = await import('../src/client/cli.ts');
  const code = await cli(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
}
