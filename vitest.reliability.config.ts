// npm run test:reliability: the long forms of the reliability checks (10,000 bad requests; kill -9 recovery at
// random points over 12 runs of up to 3 kills each; load). RECOVERY_SEED=<seed> replays a recovery failure.
import { defineConfig } from 'vitest/config';

// The AWS SDK's notice that its releases after early January 2027 need Node 22 (emitted on Node 20 by every
// process that loads it) is for this package's maintainers, and CI runs 22 and 24 too: not in the tests' output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/bad-input.test.ts', 'test/jobs/recovery.test.ts', 'test/load.reliability.test.ts'],
    env: { BAD_INPUT_RUNS: '10000', RECOVERY_RUNS: '12', RECOVERY_MAX_KILLS: '3' },
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
