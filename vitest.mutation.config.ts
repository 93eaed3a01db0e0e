import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suites that exercise the rule modules Stryker mutates (stryker.config.mjs): a mutant in module-level data (the
// lifecycle table, the ARN patterns) is covered by every test, so the mutation run reads this narrower set rather
// than the whole suite.
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/rules/**/*.test.ts',
      'test/jobs/**/*.test.ts',
      'test/runtime/**/*.test.ts',
      'test/registry/**/*.test.ts',
      'test/control/**/*.test.ts',
      'test/fake-models/**/*.test.ts',
      'test/emulator/protocol.test.ts',
      'test/bad-input.test.ts',
    ],
  },
});
