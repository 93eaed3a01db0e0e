// `npm run build` (and prepack/prepare): the published build, dist/ — every src/**/*.ts compiled by tsc to ESM
// JavaScript with its .d.ts (tsconfig.build.json), and every src/**/*.json copied beside the modules that load it.
// Consumers run this JavaScript; nothing in the package compiles TypeScript at run time.
// dist/.inputs holds a hash of what went in: an unchanged tree is not built again (prepare and prepack both run
// on `npm pack`; tests that use the package through its exports call this first). The build goes to a temp dir
// renamed into place, so dist/ is never half-written.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

/** Builds dist/ unless it was built from the same sources; returns whether it built. */
export function buildPackage() {
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .sort();
  const hash = createHash('sha256');
  const typescript = require.resolve('typescript/package.json');
  for (const file of [fileURLToPath(import.meta.url), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), typescript, ...files]) {
    hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  }
  const inputs = hash.digest('hex');
  const stamp = join(dist, '.inputs');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) return false;

  const tmp = `${dist}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', tmp], { stdio: 'inherit' });
    for (const f of files.filter((f) => f.endsWith('.json'))) {
      const to = join(tmp, relative(src, f));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f, to);
    }
    writeFileSync(join(tmp, '.inputs'), inputs);
    rmSync(dist, { recursive: true, force: true });
    renameSync(tmp, dist);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another build of the same inputs won the race.
    if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs)) throw e;
  }
  return true;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) buildPackage();
