// Waiting for a batch job: poll GetModelInvocationJob with a backoff until the job reaches a terminal status.
import { GetModelInvocationJobCommand, type BedrockClient, type GetModelInvocationJobCommandOutput } from '@aws-sdk/client-bedrock';
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL } from '../emulator/jobs/lifecycle.js';

export type JobDetails = GetModelInvocationJobCommandOutput;

/** Statuses a job never leaves: the emulator's lifecycle table, a module with no imports of its own. */
export const TERMINAL_STATUSES: readonly string[] = TERMINAL;

export const isTerminal = (status: string | undefined): boolean => !!status && TERMINAL_STATUSES.includes(status);

export interface BackoffOptions {
  /** First wait between polls (default 5 s). */
  pollIntervalMs?: number;
  /** Longest wait between polls (default 60 s). */
  maxPollIntervalMs?: number;
}

/** The wait before poll number `attempt + 1`: grows by half each time up to the maximum. */
export function backoffDelay(attempt: number, o: BackoffOptions = {}): number {
  const first = o.pollIntervalMs ?? 5_000;
  return Math.min(first * 1.5 ** attempt, Math.max(first, o.maxPollIntervalMs ?? 60_000));
}

export interface WaitOptions extends BackoffOptions {
  signal?: AbortSignal;
  /** Every Get's answer, with the live record counts while the job runs. */
  onUpdate?: (job: JobDetails) => void;
}

/** Polls until the job is terminal and returns its last details. The backoff restarts when the status changes. */
export async function waitForJob(bedrock: Pick<BedrockClient, 'send'>, jobIdentifier: string, o: WaitOptions = {}): Promise<JobDetails> {
  let attempt = 0;
  let seen = '';
  for (;;) {
    const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier }), { abortSignal: o.signal });
    o.onUpdate?.(job);
    if (isTerminal(job.status)) return job;
    if (job.status !== seen) attempt = 0;
    seen = job.status ?? '';
    await sleep(backoffDelay(attempt++, o), undefined, { signal: o.signal });
  }
}
