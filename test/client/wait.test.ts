import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { backoffDelay, waitForJob, type JobDetails } from '../../src/client/index.js';
import { formatDuration, formatProgress } from '../../src/client/progress.js';

/** A Bedrock client whose Get answers the given statuses in turn. */
function scripted(statuses: string[]) {
  const calls: string[] = [];
  const client = {
    async send(command: { input: { jobIdentifier: string } }) {
      calls.push(command.input.jobIdentifier);
      const status = statuses[Math.min(calls.length - 1, statuses.length - 1)];
      return { jobArn: 'arn', status, processedRecordCount: calls.length } as JobDetails;
    },
  } as unknown as Pick<BedrockClient, 'send'>;
  return { client, calls };
}

describe('backoffDelay', () => {
  it('grows by half from the first interval up to the maximum', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i, { pollIntervalMs: 1000, maxPollIntervalMs: 20_000 }));
    expect(delays.slice(0, 4)).toEqual([1000, 1500, 2250, 3375]);
    expect(delays.at(-1)).toBe(20_000);
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1])).toBe(true);
    expect(backoffDelay(0)).toBe(5000);
    expect(backoffDelay(100)).toBe(60_000);
    expect(backoffDelay(3, { pollIntervalMs: 50, maxPollIntervalMs: 10 })).toBe(50);
  });
});

describe('waitForJob', () => {
  it('polls until a terminal status and reports every answer', async () => {
    const { client, calls } = scripted(['Submitted', 'Validating', 'InProgress', 'InProgress', 'PartiallyCompleted']);
    const seen: string[] = [];
    const job = await waitForJob(client, 'abc123def456', { pollIntervalMs: 1, maxPollIntervalMs: 2, onUpdate: (j) => seen.push(j.status!) });
    expect(job.status).toBe('PartiallyCompleted');
    expect(seen).toEqual(['Submitted', 'Validating', 'InProgress', 'InProgress', 'PartiallyCompleted']);
    expect(calls).toEqual(Array(5).fill('abc123def456'));
  });

  it('stops when its signal aborts', async () => {
    const { client } = scripted(['InProgress']);
    const controller = new AbortController();
    const waiting = waitForJob(client, 'j', { pollIntervalMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});

describe('progress line', () => {
  const p = { jobs: 3, submittedJobs: 3, finishedJobs: 1, totalRecords: 500, processedRecords: 120, successRecords: 119, errorRecords: 1, statuses: { a: 'Completed', b: 'InProgress', c: 'Scheduled' } };
  it('shows records done/total, rate, ETA and the jobs', () => {
    expect(formatProgress(p, 10_000, 10)).toBe('[##........] 120/500 records (24%)  12.0/s  ETA 32s  jobs 1/3 done, 1 InProgress, 1 Scheduled');
    expect(formatProgress({ ...p, processedRecords: 0 }, 10_000, 10)).toContain('0.0/s  ETA ?');
    expect(formatProgress({ ...p, processedRecords: 500, finishedJobs: 3, statuses: {} }, 10_000, 4)).toBe('[####] 500/500 records (100%)  50.0/s  ETA 0s  jobs 3/3 done');
  });
  it('formats durations', () => {
    expect([5, 65, 3600 + 125, Infinity].map(formatDuration)).toEqual(['5s', '1m05s', '1h02m', '?']);
  });
});
