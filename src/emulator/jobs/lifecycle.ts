// The batch job lifecycle as data: every transition AWS documents, and nothing else.
// Imports nothing, so the client (src/client/wait.ts) takes its terminal statuses from here too.
/** Every status of ModelInvocationJobStatus, in the order a job goes through them. */
export const JOB_STATUSES = ['Submitted', 'Validating', 'Scheduled', 'InProgress', 'Completed', 'PartiallyCompleted', 'Failed', 'Stopping', 'Stopped', 'Expired'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  Submitted: ['Validating', 'Stopping', 'Expired', 'Failed'],
  Validating: ['Scheduled', 'Failed', 'Stopping', 'Expired'],
  Scheduled: ['InProgress', 'Expired', 'Stopping', 'Failed'],
  InProgress: ['Completed', 'PartiallyCompleted', 'Failed', 'Stopping'],
  Stopping: ['Stopped'],
  Completed: [],
  PartiallyCompleted: [],
  Failed: [],
  Stopped: [],
  Expired: [],
};

export const isTerminal = (s: JobStatus) => TRANSITIONS[s].length === 0;
export const canTransition = (from: JobStatus, to: JobStatus) => TRANSITIONS[from].includes(to);
/** Statuses a job never leaves. */
export const TERMINAL: readonly JobStatus[] = JOB_STATUSES.filter(isTerminal);
/** Statuses a job leaves after a time of its own (config `stateDurations`): every one that is not terminal. */
export const TIMED = ['Submitted', 'Validating', 'Scheduled', 'InProgress', 'Stopping'] as const satisfies readonly JobStatus[];
export type TimedStatus = (typeof TIMED)[number];
/** Statuses that count against the concurrent-jobs quota, and during which a job can expire: before Stopping. */
export const ACTIVE: readonly JobStatus[] = TIMED.filter((s) => s !== 'Stopping');
