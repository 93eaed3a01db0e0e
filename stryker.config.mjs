// npm run test:mutation: Stryker mutates the modules that hold the rules this project exists to enforce and runs
// the vitest suite against each mutant (only the tests that cover it). Not part of CI: its score goes into
// TESTING.md. `npm run test:mutation -- --mutate src/emulator/jobs/input.ts` narrows a run to one module.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/emulator/jobs/lifecycle.ts',
    'src/emulator/jobs/engine.ts',
    'src/emulator/jobs/store.ts', // the transition rules a move obeys, and what a job reads as
    'src/emulator/jobs/input.ts',
    'src/emulator/jobs/handlers.ts',
    // runtime quotas, and what a runtime modelId resolves to
    'src/emulator/runtime/quotas.ts',
    'src/emulator/runtime/model-resolution.ts',
    'src/emulator/runtime/count-tokens.ts',
    'src/emulator/protocol/validate.ts',
    'src/registry/lookup.ts',
    'src/registry/arn.ts',
    'src/registry/features.ts',
    'src/fake-models/converse.ts',
  ],
  // Only the mutated sources get `// @ts-nocheck`: the README test compares example files with the README verbatim.
  disableTypeChecks: 'src/**/*.ts',
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
