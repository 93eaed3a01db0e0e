// npm run test:reliability: the long forms of the reliability checks (10,000 bad requests; kill -9 recovery at
// random points over 12 runs of up to 3 kills each; load; 10,000 idle connections per port). RECOVERY_SEED=<seed> replays a recovery failure.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/bad-input.test.ts', 'test/jobs/recovery.test.ts', 'test/load.reliability.test.ts', 'test/connections.reliability.test.ts'],
    env: { BAD_INPUT_RUNS: '10000', RECOVERY_RUNS: '12', RECOVERY_MAX_KILLS: '3' },
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
