import { randomInt } from 'node:crypto';
import { defineConfig } from 'vitest/config';

// The AWS SDK's notice that its releases after early January 2027 need Node 22 (emitted on Node 20 by every
// process that loads it) is for this package's maintainers, and CI runs 22 and 24 too: not in the tests' output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// One fast-check seed for the whole run (see test/support/fast-check-seed.ts): FC_SEED replays a run.
const FC_SEED = process.env.FC_SEED ?? String(randomInt(2 ** 31 - 1));
console.log(`fast-check seed ${FC_SEED} (FC_SEED=${FC_SEED} replays it)`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long load run belongs to npm run test:reliability only.
    exclude: ['test/**/*.reliability.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { FC_SEED },
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
