import { randomInt } from 'node:crypto';
import { defineConfig } from 'vitest/config';

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
