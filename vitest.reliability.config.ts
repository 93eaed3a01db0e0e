// npm run test:reliability: the long forms of the reliability checks (10,000 bad requests; recovery from kill -9,
// SIGTERM and SIGINT at random points over 12 runs of up to 3 each; load; 10,000 idle connections per port; the
// embedded S3 killed during 12 object replacements and listing 20,000 keys). RECOVERY_SEED=<seed> / S3_CRASH_SEED=<seed>
// replay a failure.
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
    include: ['test/bad-input.test.ts', 'test/jobs/recovery.test.ts', 'test/load.reliability.test.ts', 'test/connections.reliability.test.ts', 'test/s3/crash.test.ts', 'test/s3/listing.reliability.test.ts'],
    env: { FC_SEED, BAD_INPUT_RUNS: '10000', RECOVERY_RUNS: '12', RECOVERY_MAX_KILLS: '3', S3_CRASH_RUNS: '12' },
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
