// Batch jobs in SQLite, per account and region, with their progress checkpoints: the engine writes a row on every
// transition and a checkpoint per finished output file, so a restart resumes every job where it stood.
import type { Db, Scope } from '../db.js';
import type { OperationInput } from '../operations.js';
import type { JobStatus } from './lifecycle.js';
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

export class JobStore {
  private readonly watchers = new Set<(job: Job) => void>();

  constructor(private readonly db: Db) {
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
  }

  save(job: Job): void {
    this.db
      .prepare('INSERT OR REPLACE INTO jobs (account, region, id, status, submit_time, model, token, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(job.account, job.region, job.id, job.status, job.submitTime, job.baseModelId, job.clientRequestToken ?? null, JSON.stringify(job));
    this.changed(job);
  }

  /** Tells the watchers about a job's new state: every write, and the engine's in-memory progress between writes. */
  changed(job: Job): void {
    for (const watcher of this.watchers) watcher(job);
  }

  /** Calls `watcher` with each job as it is written from now on (transitions, progress); returns the unsubscribe. */
  watch(watcher: (job: Job) => void): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  get(scope: Scope, id: string): Job | undefined {
    const row = this.db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ? AND id = ?').get(scope.account, scope.region, id) as { doc: string } | undefined;
    return row && JSON.parse(row.doc);
  }

  byToken(scope: Scope, token: string): Job | undefined {
    const row = this.db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ? AND token = ?').get(scope.account, scope.region, token) as { doc: string } | undefined;
    return row && JSON.parse(row.doc);
  }

  list(scope: Scope): Job[] {
    return (this.db.prepare('SELECT doc FROM jobs WHERE account = ? AND region = ?').all(scope.account, scope.region) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  countActive(scope: Scope, baseModelId: string, statuses: readonly string[]): number {
    const marks = statuses.map(() => '?').join(',');
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE account = ? AND region = ? AND model = ? AND status IN (${marks})`).get(scope.account, scope.region, baseModelId, ...statuses) as { n: number }).n;
  }

  /** Every job in a non-terminal status, in every account and region (restart recovery). */
  unfinished(terminal: readonly string[]): Job[] {
    const marks = terminal.map(() => '?').join(',');
    return (this.db.prepare(`SELECT doc FROM jobs WHERE status NOT IN (${marks})`).all(...terminal) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  checkpoints(job: Job): FileCheckpoint[] {
    return (this.db.prepare('SELECT doc FROM job_files WHERE account = ? AND region = ? AND id = ?').all(job.account, job.region, job.id) as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  /** Marks an output file as fully written, with its counts, together with the job's new totals. */
  checkpoint(job: Job, file: FileCheckpoint): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO job_files (account, region, id, key, doc) VALUES (?, ?, ?, ?, ?)').run(job.account, job.region, job.id, file.key, JSON.stringify(file));
      this.save(job);
    })();
  }
}
