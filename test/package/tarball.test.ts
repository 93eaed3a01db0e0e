// What `npm pack` ships, checked on every npm test (the full install-and-use test is .ci/consumer): the compiled
// code, its types and the data it loads, README and licence; nothing TypeScript runs at a user's run time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the package', () => {
  it('ships built JavaScript, declarations and data only', () => {
    // --dry-run still runs prepack, which builds dist/ when the sources changed.
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
    const paths: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(paths.filter((p) => !/^(package\.json|README\.md|LICENSE|bin\/bedrock-batch\.js|dist\/.+\.(js|d\.ts|json))$/.test(p))).toEqual([]);
    // Every export's JavaScript and types, the service models the protocol layer reads, the CLI.
    for (const target of Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) {
      expect(paths).toContain(target.replace(/^\.\//, ''));
    }
    expect(paths).toEqual(expect.arrayContaining(['dist/emulator/service-models/bedrock.json', 'dist/emulator/service-models/bedrock-runtime.json', 'dist/client/cli.js', 'dist/emulator/main.js']));
    expect(paths.some((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toBe(false);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('declares what runs for a user as dependencies, msw as an optional peer, build and test tools as dev', () => {
    for (const tool of ['tsx', 'esbuild', 'typescript', 'vitest', 'jest', 'msw']) expect(pkg.dependencies).not.toHaveProperty(tool);
    expect(pkg.peerDependencies).toHaveProperty('msw');
    expect(pkg.peerDependenciesMeta).toEqual({ msw: { optional: true } });
    expect(pkg.devDependencies).toHaveProperty('msw');
    // Tests import it directly.
    expect(pkg.devDependencies).toHaveProperty('@smithy/signature-v4');
    for (const entry of Object.values(pkg.exports as Record<string, Record<string, string>>)) {
      if (typeof entry === 'object') expect(Object.keys(entry)).toEqual(['types', 'import', 'default']);
    }
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
    expect(pkg.scripts.prepare).toMatch(/^node scripts\/build\.mjs && /);
  });
});
