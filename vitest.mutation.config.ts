import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suites that exercise the rule modules Stryker mutates (stryker.config.mjs). A mutant in module-level data (the
// lifecycle table, the ARN patterns) is covered by every test that loads the module, so a run narrowed to one module
// names the suites that check it: MUTATION_TESTS=<glob>,<glob> (see TESTING.md).
const RULE_SUITES = [
  'test/rules/**/*.test.ts',
  'test/jobs/**/*.test.ts',
  'test/runtime/**/*.test.ts',
  'test/registry/**/*.test.ts',
  'test/control/**/*.test.ts',
  'test/fake-models/**/*.test.ts',
  'test/emulator/protocol.test.ts',
  'test/bad-input.test.ts',
];

export default defineConfig({
  test: { ...base.test, include: process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(',') : RULE_SUITES },
});
