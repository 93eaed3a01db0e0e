// The batch job lifecycle as data: every transition AWS documents, and nothing else.
export type JobStatus =
  | 'Submitted'
  | 'Validating'
  | 'Scheduled'
  | 'InProgress'
  | 'Completed'
  | 'PartiallyCompleted'
  | 'Failed'
  | 'Stopping'
  | 'Stopped'
  | 'Expired';

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
/** Statuses that count against the concurrent-jobs quota. */
export const ACTIVE: readonly JobStatus[] = ['Submitted', 'Validating', 'Scheduled', 'InProgress'];
