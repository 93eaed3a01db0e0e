// npm run test:reliability: the long forms of the reliability checks (10,000 bad requests; kill -9 recovery; load).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/bad-input.test.ts', 'test/jobs/recovery.test.ts', 'test/load.reliability.test.ts'],
    env: { BAD_INPUT_RUNS: '10000' },
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
