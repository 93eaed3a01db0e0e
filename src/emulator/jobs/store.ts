// The one owner of every batch job's state: each read and write of a job goes through JobStore. It keeps the jobs in
// SQLite, per account and region, with their progress checkpoints (a row on every transition, a checkpoint per
// finished output file, so a restart resumes every job where it stood), and in memory only what is ahead of a row:
// a run's counts between two checkpoints and an ending that could not be saved. The engine decides when a job moves;
// the store moves it, along the lifecycle, and tells the watchers.
import type { Clock } from '../clock.js';
import type { Db, Scope } from '../db.js';
import type { OperationInput } from '../operations.js';
import type { InputFile } from './input.js';
import { canTransition, isTerminal, TERMINAL, type JobStatus } from './lifecycle.js';
import type { OpenAIBatchInfo } from './openai-batch.js';

/** A job's configuration as CreateModelInvocationJob took it. */
type JobConfig = OperationInput<'CreateModelInvocationJob'>;

export interface Job {
  account: string;
  region: string;
  id: string;
  arn: string;
  jobName: string;
  modelId: string;
  baseModelId: string;
  roleArn: string;
  clientRequestToken?: string;
  paramsHash: string;
  inputDataConfig: JobConfig['inputDataConfig'];
  outputDataConfig: JobConfig['outputDataConfig'];
  vpcConfig?: JobConfig['vpcConfig'];
  timeoutDurationInHours: number;
  modelInvocationType: 'InvokeModel' | 'Converse';
  status: JobStatus;
  message?: string;
  submitTime: number;
  lastModifiedTime: number;
  endTime?: number;
  jobExpirationTime: number;
  /** When the current status was entered (emulator clock, ms). */
  statusSince: number;
  /** When each status was entered (emulator clock, ms). */
  statusTimes?: Partial<Record<JobStatus, number>>;
  /** Set for jobs created through the OpenAI Batch API (/openai/v1/batches). */
  openaiBatch?: OpenAIBatchInfo;
  /** State durations (ms) copied from the configuration at creation. */
  durations: Record<string, number>;
  recordsPerSecond: number;
  /** Share of records answered with an injected error (admin), 0..1. */
  failureRate: number;
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
  inputTokenCount?: number;
  outputTokenCount?: number;
}

export interface FileCheckpoint {
  key: string;
  processed: number;
  success: number;
  error: number;
  inputTokens: number;
  outputTokens: number;
}

/** Which job: its account, region and id (a Job is one). */
export type JobRef = Scope & { id: string };

/** The input files validation found, kept for the run. */
export interface ValidatedInput {
  bucket: string;
  files: InputFile[];
}

/** What a file's records added to the counts, as the run reports it. */
export type Progress = Omit<FileCheckpoint, 'key'>;

const key = (j: JobRef) => `${j.account}/${j.region}/${j.id}`;
/** Each progress count and the job's total it adds to. */
const COUNTS: Record<keyof Progress, 'processedRecordCount' | 'successRecordCount' | 'errorRecordCount' | 'inputTokenCount' | 'outputTokenCount'> = {
  processed: 'processedRecordCount',
  success: 'successRecordCount',
  error: 'errorRecordCount',
  inputTokens: 'inputTokenCount',
  outputTokens: 'outputTokenCount',
};
const countFields = Object.entries(COUNTS) as [keyof Progress, (typeof COUNTS)[keyof Progress]][];

export class JobStore {
  private readonly watchers = new Set<(job: Job) => void>();
  /** Jobs a run is counting: their counts run ahead of their row until the next checkpoint. */
  private readonly running = new Map<string, Job>();
  /** Endings that could not be saved (the disk full, say): the job answers as ended, and a restart resumes it from its row. */
  private readonly unsaved = new Map<string, Job>();
  /** Input files found by validation, kept for the run (listed again after a restart). */
  private readonly inputs = new Map<string, ValidatedInput>();
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.sql = statements(db);
  }

  // Reads: the job as it stands, memory over SQLite; each answer is a copy, so only the store changes a job.

  get(scope: Scope, id: string): Job | undefined {
    const held = this.held({ ...scope, id });
    if (held) return structuredClone(held);
    const row = this.sql.get.get(scope.account, scope.region, id) as { doc: string } | undefined;
    return row && JSON.parse(row.doc);
  }

  byToken(scope: Scope, token: string): Job | undefined {
    const row = this.sql.byToken.get(scope.account, scope.region, token) as { doc: string } | undefined;
    return row && this.overRow(JSON.parse(row.doc));
  }

  list(scope: Scope): Job[] {
    return (this.sql.list.all(scope.account, scope.region) as { doc: string }[]).map((r) => this.overRow(JSON.parse(r.doc)));
  }

  countActive(scope: Scope, baseModelId: string, statuses: readonly JobStatus[]): number {
    const marks = statuses.map(() => '?').join(',');
    const ids = this.db.prepare(`SELECT id FROM jobs WHERE account = ? AND region = ? AND model = ? AND status IN (${marks})`).all(scope.account, scope.region, baseModelId, ...statuses) as { id: string }[];
    // A row still active may belong to a job that has ended without being saved.
    return ids.filter(({ id }) => {
      const held = this.held({ ...scope, id });
      return !held || statuses.includes(held.status);
    }).length;
  }

  /** Every job in a non-terminal status, in every account and region (restart recovery). */
  unfinished(): Job[] {
    const marks = TERMINAL.map(() => '?').join(',');
    return (this.db.prepare(`SELECT doc FROM jobs WHERE status NOT IN (${marks})`).all(...TERMINAL) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  checkpoints(job: JobRef): FileCheckpoint[] {
    return (this.sql.checkpoints.all(job.account, job.region, job.id) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  /** The input files validation found, until the job's run ends (absent after a restart). */
  input(job: JobRef): ValidatedInput | undefined {
    return this.inputs.get(key(job));
  }

  /** Calls `watcher` with each job's new state from now on (transitions, progress); returns the unsubscribe. */
  watch(watcher: (job: Job) => void): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  // Writes.

  /** A new job (Submitted). */
  create(job: Job): void {
    this.write(job);
  }

  /**
   * Moves a job along the lifecycle with `changes` (validation's counts, say), as of `at` (when the move was due, so
   * a clock advanced past several states passes each at its own time; never later than now). A step that can't be
   * saved doesn't happen (it throws); an ending happens all the same, answered from memory until a restart.
   */
  move(ref: JobRef, to: JobStatus, { message, at = this.clock.now(), changes }: { message?: string; at?: number; changes?: Partial<Job> } = {}): Job {
    const current = this.get(ref, ref.id);
    if (!current) throw new Error(`no job ${key(ref)}`);
    if (!canTransition(current.status, to)) throw new Error(`illegal transition ${current.status} → ${to} for ${ref.id}`);
    const job: Job = { ...current, ...changes };
    // Completed means every record counted at validation is in the output: a job that processed another number
    // (its input changed after validation) fails rather than end Completed with records missing.
    if (to === 'Completed' && job.processedRecordCount !== job.totalRecordCount) {
      to = 'Failed';
      message = `Processed ${job.processedRecordCount ?? 0} of the ${job.totalRecordCount ?? 0} records found at validation: the input changed while the job ran.`;
    }
    const now = Math.min(at, this.clock.now());
    job.status = to;
    job.statusSince = now;
    job.lastModifiedTime = now;
    (job.statusTimes ??= {})[to] = now;
    if (message !== undefined) job.message = message;
    if (isTerminal(to)) job.endTime = now;
    const k = key(job);
    try {
      this.write(job);
    } catch (e) {
      if (!isTerminal(to)) throw e;
      console.error(`bedrock-batch-emulator: job ${job.id} ended ${to} but its state could not be saved`, e);
      this.unsaved.set(k, job);
      this.notify(job); // it has ended all the same: whoever waits for it is told
    }
    if (this.running.has(k)) this.running.set(k, job);
    if (isTerminal(to)) this.inputs.delete(k);
    return structuredClone(job);
  }

  /** Keeps the input files validation found for the job's run. */
  keepInput(job: JobRef, input: ValidatedInput): void {
    this.inputs.set(key(job), input);
  }

  /** A run begins: the counts start from the checkpoints; returns the job and the files already done. */
  startRun(ref: JobRef): { job: Job; done: Set<string> } {
    const job = this.get(ref, ref.id);
    if (!job) throw new Error(`no job ${key(ref)}`);
    const checkpoints = this.checkpoints(job);
    for (const [from, to] of countFields) job[to] = checkpoints.reduce((n, c) => n + c[from], 0);
    this.running.set(key(job), job);
    return { job: structuredClone(job), done: new Set(checkpoints.map((c) => c.key)) };
  }

  /** Records a run's progress in memory (not yet durable) and tells the watchers. */
  progress(ref: JobRef, delta: Progress): void {
    const job = this.runningJob(ref);
    for (const [from, to] of countFields) job[to] = (job[to] ?? 0) + delta[from];
    this.notify(job);
  }

  /** Marks an output file as fully written, with its counts, together with the job's new totals. */
  checkpoint(ref: JobRef, file: FileCheckpoint): void {
    const job = this.runningJob(ref);
    job.lastModifiedTime = this.clock.now();
    this.db.transaction(() => {
      this.sql.checkpoint.run(job.account, job.region, job.id, file.key, JSON.stringify(file));
      this.write(job);
    })();
  }

  /** The run is over: its counts (and `changes`) are saved, and the job is read from its row again. */
  finishRun(ref: JobRef, changes: Partial<Job> = {}): void {
    const job = this.runningJob(ref);
    this.running.delete(key(ref));
    this.inputs.delete(key(ref));
    this.write(Object.assign(job, changes));
  }

  /** The run was abandoned (a shutdown): what was not checkpointed is dropped, and a restart redoes it. */
  dropRun(ref: JobRef): void {
    this.running.delete(key(ref));
  }

  /** Forgets what memory holds of every job (the harness's reset, before the tables are emptied). */
  forget(): void {
    this.running.clear();
    this.unsaved.clear();
    this.inputs.clear();
  }

  private runningJob(ref: JobRef): Job {
    const job = this.running.get(key(ref));
    if (!job) throw new Error(`job ${key(ref)} has no run`);
    return job;
  }

  /** What memory holds of a job ahead of its row, if anything. */
  private held(ref: JobRef): Job | undefined {
    const k = key(ref);
    return this.running.get(k) ?? this.unsaved.get(k);
  }

  private overRow(row: Job): Job {
    const held = this.held(row);
    return held ? structuredClone(held) : row;
  }

  private write(job: Job): void {
    this.sql.save.run(job.account, job.region, job.id, job.status, job.submitTime, job.baseModelId, job.clientRequestToken ?? null, JSON.stringify(job));
    this.unsaved.delete(key(job));
    this.notify(job);
  }

  /** Tells the watchers about a job's new state: every write, and a run's progress between writes. */
  private notify(job: Job): void {
    if (!this.watchers.size) return;
    const copy = structuredClone(job);
    for (const watcher of this.watchers) watcher(copy);
  }
}

/** Creates the tables if they are missing and prepares the statements the store runs on every job. */
function statements(db: Db) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS jobs (
      account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL,
      submit_time INTEGER NOT NULL, model TEXT NOT NULL, token TEXT, doc TEXT NOT NULL,
      PRIMARY KEY (account, region, id));
    CREATE INDEX IF NOT EXISTS jobs_token ON jobs (account, region, token);
    CREATE TABLE IF NOT EXISTS job_files (
      account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (account, region, id, key));
  `);
  return {
    save: db.prepare('INSERT OR REPLACE INTO jobs (account, region, id, status, submit_time, model, token, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    get: db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ? AND id = ?'),
    byToken: db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ? AND token = ?'),
    list: db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ?'),
    checkpoints: db.prepare('SELECT doc FROM job_files WHERE account = ? AND region = ? AND id = ?'),
    checkpoint: db.prepare('INSERT OR REPLACE INTO job_files (account, region, id, key, doc) VALUES (?, ?, ?, ?, ?)'),
  };
}
