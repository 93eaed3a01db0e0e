#!/usr/bin/env node
// The CLI's launcher. Installed, it runs the package's compiled dist/; in a clone of the repository (scripts/ is
// there, never in the package) it runs the build `npm start` uses, rebuilt from src/ when the sources changed.
import { existsSync } from 'node:fs';

// The SDK's notice about its future Node requirement concerns this package's maintainers, not a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Piped into head and the like: a closed stdout ends the command quietly.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const clone = new URL('../scripts/start.mjs', import.meta.url);
const load = existsSync(clone)
  ? async (path) => (await import(clone.href)).builtModule(path)
  : (path) => import(new URL(`../dist/${path}`, import.meta.url).href);
if (process.argv[2] === 'serve') {
  (await load('emulator/main.js')).run(process.argv.slice(3));
} else {
  const { cli } = await load('client/cli.js');
  const code = await cli(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
}
