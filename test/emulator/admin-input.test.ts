// Admin and configuration input is validated as AWS validates its input: a wrong type, an out-of-range number or
// an unknown member is a 400 ValidationException naming the field, accepted nowhere to break later requests.
import { ListModelInvocationJobsCommand } from '@aws-sdk/client-bedrock';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/emulator/config.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/harness.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({});
});
afterAll(() => emulator?.stop());

const post = (path: string, body: unknown) =>
  fetch(`${emulator.endpoints.bedrock}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Everything a bad admin call used to break, still answering. */
async function stillServing() {
  expect((await fetch(`${emulator.endpoints.bedrock}/_emulator/health`)).status).toBe(200);
  expect((await fetch(`${emulator.endpoints.bedrock}/_emulator/clock`)).status).toBe(200);
  await emulator.clients.bedrock.send(new ListModelInvocationJobsCommand({}));
  const body = new TextEncoder().encode(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }));
  await emulator.clients.bedrockRuntime.send(new InvokeModelCommand({ modelId: HAIKU, body, contentType: 'application/json' }));
}

describe('bad admin input: 400 ValidationException naming the field, and nothing breaks', () => {
  it.each<[string, string, unknown, string]>([
    ['clock/advance', 'advanceMs 1e300 (past year 9999)', { advanceMs: 1e300 }, 'advanceMs'],
    ['clock/advance', 'advanceSeconds as a string', { advanceSeconds: '60' }, 'advanceSeconds'],
    ['clock/advance', 'a negative advance', { advanceMs: -1 }, 'advanceMs'],
    ['clock/advance', 'neither member', {}, 'advanceMs or advanceSeconds'],
    ['faults', 'latencyMs "abc"', { errorType: 'ThrottlingException', rate: 1, latencyMs: 'abc' }, 'latencyMs'],
    ['faults', 'a rate above 1', { errorType: 'ThrottlingException', rate: 2 }, 'rate'],
    ['faults', 'an unknown error type', { errorType: 'NoSuchException', rate: 1 }, 'errorType'],
    ['faults', 'an unknown member', { errorType: 'ThrottlingException', rate: 1, latency: 5 }, 'latency'],
    ['scripts', 'a pattern that is no regular expression', { match: '/(/', response: { text: 'x' } }, 'match'],
    ['scripts', 'a script without a response', [{ response: {} }], '0.response'],
    ['jobs/failure-rate', 'a negative failure rate', { failureRate: -0.1 }, 'failureRate'],
    ['jobs/failure-rate', 'a failure rate as a string', { failureRate: '0.5' }, 'failureRate'],
    ['jobs/abcdefghijkl/force', 'an unknown status', { status: 'Done' }, 'status'],
    ['config', 'a quota as a string', { quotas: { maxRecordsPerJob: '5' } }, 'quotas.maxRecordsPerJob'],
    ['config', 'a negative rate', { recordsPerSecond: -1 }, 'recordsPerSecond'],
    ['config', 'a malformed account', { account: 'abc' }, 'account'],
    ['config', 'a malformed credential account', { credentials: [{ accessKeyId: 'AK', secretAccessKey: 's', account: '12' }] }, 'credentials.0.account'],
    ['config', 'a runtime quota as a string', { runtime: { quotas: { '*': { requestsPerMinute: 'x', tokensPerMinute: 1 } } } }, "runtime.quotas.*.requestsPerMinute"],
    ['config', 'a state duration of Infinity-like size', { stateDurations: { Validating: 1e300 } }, 'stateDurations.Validating'],
    ['config', 'an unknown timing', { timing: 'slow' }, 'timing'],
    ['config', 'an unknown option', { quota: {} }, 'quota'],
    ['config', 'a __proto__ member', JSON.parse('{"__proto__": {"strict": true}}'), '__proto__'],
    ['config', 'maxBufferedBytes negative', { maxBufferedBytes: -1 }, 'maxBufferedBytes'],
  ])('POST /_emulator/%s with %s', async (path, _, body, field) => {
    const before = await (await fetch(`${emulator.endpoints.bedrock}/_emulator/config`)).json();
    const res = await post(path, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect((await res.json()).message).toContain(field);
    expect(await (await fetch(`${emulator.endpoints.bedrock}/_emulator/config`)).json()).toEqual(before);
    await stillServing();
  });

  it('an account or region query that is malformed', async () => {
    const res = await fetch(`${emulator.endpoints.bedrock}/_emulator/jobs/abcdefghijkl?account=abc`);
    expect([res.status, res.headers.get('x-amzn-errortype')]).toEqual([400, 'ValidationException']);
    expect((await res.json()).message).toContain('account');
  });

  it('advances to the last millisecond of year 9999, not past it', async () => {
    const res = await post('clock/advance', { advanceMs: Date.UTC(9999, 11, 31, 23, 59, 59, 999) - Date.now() - 60_000 });
    expect(res.status).toBe(200);
    expect((await post('clock/advance', { advanceMs: 120_000 })).status).toBe(400);
    await stillServing();
  });
});

describe('configuration from flags, environment and file, by the same schema', () => {
  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['a port that is no number', ['--port', 'abc'], {}, 'port'],
    ['a bare numeric flag', ['--max-connections'], {}, 'maxConnections'],
    ['a quota that is no number', ['--quota-max-records-per-job', 'many'], {}, 'quotas.maxRecordsPerJob'],
    ['a negative rate in the environment', [], { BEDROCK_EMULATOR_RECORDS_PER_SECOND: '-5' }, 'recordsPerSecond'],
    ['a malformed account in the environment', [], { BEDROCK_EMULATOR_ACCOUNT: '12' }, 'account'],
    ['a timeout of zero connections', ['--max-connections', '0'], {}, 'maxConnections'],
    ['an allowed host with a path', ['--allowed-hosts', 'a.test/x'], {}, 'allowedHosts.0'],
    ['a header timeout longer than the request timeout', ['--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'], {}, 'headersTimeoutMs'],
  ])('%s', (_, argv, env, field) => {
    expect(() => loadConfig(argv, env)).toThrow(field);
  });

  it('a config file with a bad value, and one that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbe-config-'));
    try {
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ account: 'abc', quotas: { minRecordsPerJob: '1' } }));
      expect(() => loadConfig(['--config', join(dir, 'a.json')], {})).toThrow(/account.*quotas\.minRecordsPerJob/);
      writeFileSync(join(dir, 'b.json'), '{oops');
      expect(() => loadConfig(['--config', join(dir, 'b.json')], {})).toThrow(join(dir, 'b.json'));
      expect(loadConfig(['--allowed-hosts', 'emulator.test,.dev.test', '--headers-timeout-ms', '100'], {})).toMatchObject({ allowedHosts: ['emulator.test', '.dev.test'], headersTimeoutMs: 100 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a scripts file with a bad script refuses to start, naming the script and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbe-scripts-'));
    try {
      writeFileSync(join(dir, 'scripts.json'), JSON.stringify([{ response: { text: 'ok' } }, { response: { error: { type: 'Nope' } } }]));
      await expect(startEmulator({ scriptsFile: join(dir, 'scripts.json'), dataDir: join(dir, 'data') })).rejects.toThrow('1.response.error.type');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a clock offset saved out of range (by an older version)', () => {
  it('is dropped at start: health, the clock and job listings answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bbe-offset-'));
    try {
      const first = await startEmulator({ dataDir: dir });
      await first.stop();
      const db = new Database(join(dir, 'state.sqlite'));
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('clockOffset', '1e300')").run();
      db.close();
      const again = await startEmulator({ dataDir: dir });
      try {
        expect((await fetch(`${again.endpoints.bedrock}/_emulator/health`)).status).toBe(200);
        const { now } = await (await fetch(`${again.endpoints.bedrock}/_emulator/clock`)).json();
        expect(new Date(now).getUTCFullYear()).toBeLessThan(10_000);
        await again.clients.bedrock.send(new ListModelInvocationJobsCommand({}));
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
