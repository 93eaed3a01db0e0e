// `npm start` in a clone: runs the emulator from JavaScript compiled out of src/, because `node --import tsx` spends
// ~150 ms of every start hooking and compiling each module. The build is content-addressed — .cache/start/<hash of
// src/, tsconfig, esbuild's version and this script>/ — so an edited source is never served stale: the first start
// after a change builds again with esbuild (~0.1-0.2 s more; tsc's full build for the package, dist/, takes ~10 s),
// and `npm ci` builds ahead through `prepare`. bin/bedrock-batch.js runs the same build in a clone (the installed
// package has no scripts/ and runs dist/). `node scripts/start.mjs --build` only builds.
// `npm start` also caps V8's young generation (--max-semi-space-size=8, against 16 by default): a large batch job
// allocates fast enough to fill the default one, which cost ~30 MB of peak RSS for no measured gain in speed.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, '.cache/start');
const KEEP = 3;

const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile())
  .map((d) => join(d.parentPath ?? d.path, d.name))
  .sort();
const hash = createHash('sha256');
const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
for (const file of [fileURLToPath(import.meta.url), join(root, 'tsconfig.json'), esbuildPackage, ...files]) {
  hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
}
const out = join(dist, hash.digest('hex').slice(0, 16));
const entry = join(out, 'src/emulator/main.js');

/** A module of the build, by its path under src/ with a .js extension; built first when the sources changed. */
export async function builtModule(path) {
  if (!existsSync(entry)) await build();
  return import(pathToFileURL(join(out, 'src', path)).href);
}

// Run as a script (npm start, npm ci's prepare); bin/bedrock-batch.js imports builtModule instead.
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  if (process.argv[2] === '--build') {
    if (!existsSync(entry)) await build();
  } else (await builtModule('emulator/main.js')).run(process.argv.slice(2));
}

async function build() {
  const { build } = await import('esbuild');
  // Built aside and renamed into place, so that a directory under dist/ is always complete, even with two starts
  // racing or a build interrupted.
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    outdir: join(tmp, 'src'),
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: true,
    logLevel: 'warning',
  });
  // Data read at run time relative to the modules (the service models).
  for (const f of files.filter((f) => f.endsWith('.json'))) {
    const to = join(tmp, 'src', relative(src, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  try {
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(entry)) throw e;
  }
  // Older builds: the few most recent stay (a running emulator may still load from one), the rest go, and so do
  // leftovers of interrupted builds.
  const entries = readdirSync(dist).map((name) => ({
    path: join(dist, name),
    partial: name.includes('.tmp-'),
    mtime: statSync(join(dist, name), { throwIfNoEntry: false })?.mtimeMs ?? 0,
  }));
  const others = entries.filter((e) => !e.partial && e.path !== out).sort((a, b) => b.mtime - a.mtime);
  for (const e of others.slice(KEEP - 1)) rmSync(e.path, { recursive: true, force: true });
  for (const e of entries) {
    if (e.partial && Date.now() - e.mtime > 10 * 60_000) rmSync(e.path, { recursive: true, force: true });
  }
}
