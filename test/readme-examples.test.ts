// Runs every README block marked `<!-- example: name -->`, as written, so the documented usage cannot rot.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/<!-- example: ([\w-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]] as const);
// Inside the repository, so that `bedrock-batch-emulator/...` resolves through package.json's exports.
const dir = mkdtempSync(join(new URL('..', import.meta.url).pathname, '.readme-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README examples', () => {
  it('has examples to run', () => expect(examples.map(([name]) => name)).toEqual(['harness', 'msw']));

  it.each(examples)('%s runs as written', async (name, code) => {
    const file = join(dir, `${name}.mts`);
    writeFileSync(file, code);
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { timeout: 60_000 });
    expect(stderr).not.toMatch(/Error/);
  });
});
