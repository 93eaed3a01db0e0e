// npm run test:reliability: the long forms of the reliability checks (10,000 bad requests; recovery from kill -9,
// SIGTERM and SIGINT at random points over 12 runs of up to 3 each; load). RECOVERY_SEED=<seed> replays a recovery
// failure.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/bad-input.test.ts', 'test/jobs/recovery.test.ts', 'test/load.reliability.test.ts'],
    env: { BAD_INPUT_RUNS: '10000', RECOVERY_RUNS: '12', RECOVERY_MAX_KILLS: '3' },
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
