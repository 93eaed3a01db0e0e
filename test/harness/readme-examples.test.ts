// Runs every example of the README's "ways of use" as written (they live in test/harness/examples/), and checks
// that each README block marked `<!-- example-file: PATH -->` is that file verbatim, so the docs cannot rot.
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const EXAMPLES = join(ROOT, 'test/harness/examples');
// Inside the repository, so that `bedrock-batch-emulator/...` resolves through package.json's exports.
const dir = mkdtempSync(join(ROOT, '.examples-'));
// Outside tsx (the vitest suite), the package name resolves through package.json's exports to the built dist/:
// build it if the sources changed since it was last built.
beforeAll(() => void execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' }), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, cwd: options.cwd ?? dir, env: { ...process.env, ...options.env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const runTs = (name: string, env?: NodeJS.ProcessEnv) => {
  copyFileSync(join(EXAMPLES, name), join(dir, name));
  return run(process.execPath, ['--import', 'tsx', join(dir, name)], { env });
};

describe('README examples', () => {
  it('the README quotes the example files verbatim', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quoted = [...readme.matchAll(/<!-- example-file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
    for (const [, path, code] of quoted) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
      expect(code, path).toBe(readFileSync(join(ROOT, path), 'utf8'));
    }
    // Every example the tests run is shown to readers (vitest.config.ts is only the one-line wiring).
    // jest/ and node-test/ run in .ci/consumer, against the installed package.
    const shown = [
      'endpoints.mts',
      'harness.mts',
      'vitest/global-setup.ts',
      'vitest/batch.spec.ts',
      'jest/jest.config.mjs',
      'jest/global-setup.mjs',
      'jest/global-teardown.mjs',
      'jest/batch.test.mjs',
      'node-test/batch.test.mjs',
      'msw.mts',
      'cli.sh',
      'openai-sdk.mts',
      'anthropic-sdk.mts',
      'openai-batch.mts',
    ];
    expect(quoted.map((m) => m[1])).toEqual(shown.map((f) => `test/harness/examples/${f}`));
  });

  it('harness.mts: startEmulator in a script or test file', async () => {
    const out = await runTs('harness.mts');
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/totalRecordCount: 2,.*successRecordCount: 1,.*errorRecordCount: 1/s);
  });

  it('openai-sdk.mts: the OpenAI SDK on /openai/v1 (Chat Completions, its stream, Responses)', async () => {
    const out = await runTs('openai-sdk.mts');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/role: 'assistant'/);
    expect(out.stdout).toMatch(/\ncompleted: \S/);
  });

  it('anthropic-sdk.mts: the Anthropic SDK on /anthropic (Messages and its stream)', async () => {
    const out = await runTs('anthropic-sdk.mts');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/type: 'text'/);
    expect(out.stdout).toMatch(/^end_turn \d+$/m);
  });

  it('openai-batch.mts: the OpenAI Batch API, results read where AWS puts them', async () => {
    const out = await runTs('openai-batch.mts');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^completed \{ total: 100, completed: 100, failed: 0 \} s3:\/\/amzn-s3-demo-bucket\/batch_\w+\/openai-input\.jsonl\.out$/m);
  });

  it('msw.mts: in-process, default AWS hostnames', async () => {
    const out = await runTs('msw.mts');
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
  });

  it('endpoints.mts: unchanged SDK code against `bedrock-batch serve` through the printed variables', async () => {
    const data = mkdtempSync(join(tmpdir(), 'bbe-serve-'));
    const serve = spawn(process.execPath, [join(ROOT, 'bin/bedrock-batch.js'), 'serve', '--port', '0', '--s3-port', '0', '--data-dir', data, '--timing', 'instant'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let printed = '';
      serve.stdout.on('data', (d) => (printed += d));
      await new Promise<void>((resolve, reject) => {
        serve.stdout.on('data', () => printed.includes('AWS_SECRET_ACCESS_KEY') && resolve());
        serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const env = Object.fromEntries([...printed.matchAll(/^export (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
      expect(Object.keys(env)).toEqual(expect.arrayContaining(['AWS_ENDPOINT_URL_BEDROCK', 'AWS_ENDPOINT_URL_S3', 'AWS_REGION', 'AWS_ACCESS_KEY_ID']));
      const out = await runTs('endpoints.mts', env);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toBe('Completed 100 1024\n');
      expect(out.stderr).toContain('100/100 records');
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('vitest/: a globalSetup that starts the emulator for a whole suite', async () => {
    const suite = join(dir, 'vitest');
    mkdirSync(suite);
    for (const f of ['global-setup.ts', 'vitest.config.ts', 'batch.spec.ts']) copyFileSync(join(EXAMPLES, 'vitest', f), join(suite, f));
    const out = await run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', suite], { cwd: suite });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/1 passed/);
  });

  it('cli.sh: the CLI from a shell', async () => {
    const emulator = await startEmulator();
    try {
      // In the clone (dir is inside it), as the README says: npx finds the package's own bedrock-batch.
      const shell = join(dir, 'shell');
      mkdirSync(shell);
      copyFileSync(join(EXAMPLES, 'cli.sh'), join(shell, 'cli.sh'));
      const out = await run('bash', ['-euo', 'pipefail', 'cli.sh'], { cwd: shell, env: emulator.env });
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^amazon\.titan-embed-text-v2:0\tAmazon\t/m);
      expect(out.stdout).toMatch(/"status": "Completed"/);
      expect(out.stdout).toMatch(/^recordId  result\ndoc-1     embedding\[1024\]$/m);
      const results = readFileSync(join(shell, 'results.jsonl'), 'utf8').trim().split('\n');
      expect(results).toHaveLength(100);
      // The script made the bucket (CreateBucket on it again would answer 200 in us-east-1, as S3 does).
      expect((await emulator.clients.s3.send(new HeadBucketCommand({ Bucket: 'my-batch-bucket' }))).$metadata.httpStatusCode).toBe(200);
    } finally {
      await emulator.stop();
    }
  });
});
