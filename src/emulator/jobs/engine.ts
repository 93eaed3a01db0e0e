// The job engine: decides when each job moves through the lifecycle table on the emulator's clock, runs validation
// and processing against S3, and on start-up resumes every unfinished job from its checkpoint. It keeps only the
// control of that work (timers, runs' abort controllers, work in flight); the job's state is the store's
// (./store.ts), which the engine asks to move, count and checkpoint a job.
import type { Clock } from '../clock.js';
import { DEFAULT_CONFIG, type ConfigStore, type Quotas } from '../config.js';
import { storageProblem } from '../db.js';
import { AwsError } from '../errors.js';
import { parseS3Uri, type S3Objects } from '../s3/objects.js';
import type { ScriptBook } from '../../fake-models/index.js';
import { getModel, type Catalog } from '../../registry/index.js';
import { checkInput } from './input.js';
import { ACTIVE, canTransition, isTerminal, TRANSITIONS, type JobStatus } from './lifecycle.js';
import { checkOpenAIBatchInput, runOpenAIBatchFiles } from './openai-batch.js';
import { runFiles, SHUTDOWN, writeManifest } from './runner.js';
import type { Job, JobRef, JobStore } from './store.js';

const key = (j: JobRef) => `${j.account}/${j.region}/${j.id}`;

/** A run in flight: how to stop it, and when it is over. */
interface Run {
  abort: AbortController;
  done: Promise<void>;
}

export class JobEngine {
  private readonly timers = new Map<string, (() => void)[]>();
  private readonly runs = new Map<string, Run>();
  private closed = false;
  /** Work in flight (validations, runs, stops), so that tests and the harness can wait for quiet. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly config: ConfigStore,
    /** The S3 the jobs read input from and write output to. */
    private readonly s3: S3Objects,
    private readonly scripts: ScriptBook,
    private readonly catalog: Catalog,
  ) {}

  /** Starts a new job's lifecycle (the caller has created it in the store as Submitted). */
  start(job: Job): void {
    this.schedule(job);
  }

  stop(job: Job): void {
    // Real clients (Apache Airflow's Bedrock system test, LiteLLM) catch a ValidationException saying `State was: …`.
    if (isTerminal(job.status) || job.status === 'Stopping') {
      throw new AwsError('ValidationException', `The batch inference job ${job.arn} can't be stopped. State was: ${job.status}`);
    }
    this.runs.get(key(job))?.abort.abort();
    this.move(job, 'Stopping');
  }

  /** Admin: end a job now as Failed or Expired (or any status the lifecycle allows from where it is). */
  force(job: Job, status: JobStatus, message?: string): Job {
    if (!canTransition(job.status, status)) {
      throw new AwsError('ValidationException', `A job in status ${job.status} can't move to ${status}; allowed: ${TRANSITIONS[job.status].join(', ') || 'none'}.`);
    }
    this.runs.get(key(job))?.abort.abort();
    return this.move(job, status, message);
  }

  /** Resolves once no validation, run or stop is in flight (timers still pending on the clock don't count). */
  async idle(): Promise<void> {
    // Timers already due fire on the next turn of the event loop (./clock.ts arms them with setImmediate); let them
    // start before looking. setImmediate, not setTimeout(0), which costs a millisecond at each state change.
    for (;;) {
      await new Promise((r) => setImmediate(r));
      // A state change schedules the next state's timer, due at once with `instant` timing: wait for it too.
      if (!this.pending.size && !this.clock.hasDue()) return;
      await Promise.allSettled([...this.pending]);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const drop = () => void this.pending.delete(p);
    p.then(drop, drop);
    return p;
  }

  /** Forgets every job's timers and runs, and what the store holds in memory (the harness's reset, before the tables are emptied). */
  async reset(): Promise<void> {
    for (const cancels of this.timers.values()) cancels.forEach((c) => c());
    this.timers.clear();
    // As at shutdown: nothing more is written for a job that is about to be forgotten.
    for (const r of this.runs.values()) r.abort.abort(SHUTDOWN);
    await this.idle();
    this.runs.clear();
    this.store.forget();
  }

  /** Resumes every unfinished job after a restart. */
  recover(): void {
    for (const job of this.store.unfinished()) this.schedule(job);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const cancels of this.timers.values()) cancels.forEach((c) => c());
    this.timers.clear();
    // Each run stops between two records, abandons the file it was writing and leaves the job InProgress with its
    // checkpoints, to resume after a restart.
    for (const r of this.runs.values()) r.abort.abort(SHUTDOWN);
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
  }

  /** The job as the store has it, if it is still in the status it had when `job` was read. */
  private current(job: Job): Job | undefined {
    const fresh = this.store.get(job, job.id);
    return fresh && fresh.status === job.status ? fresh : undefined;
  }

  /**
   * Has the store move the job (a step it can't save throws, and the caller fails the job), then schedules the new
   * status's end. `at` is when the transition was due: a clock advanced past several states passes each at its own time.
   */
  private move(job: JobRef, to: JobStatus, message?: string, at?: number, changes?: Partial<Job>): Job {
    const moved = this.store.move(job, to, { message, at, changes });
    this.clearTimers(moved);
    if (!isTerminal(moved.status)) this.schedule(moved);
    return moved;
  }

  private at(job: Job, time: number, fn: () => void) {
    const cancel = this.clock.at(time, () => {
      if (!this.closed) fn();
    });
    const list = this.timers.get(key(job)) ?? [];
    list.push(cancel);
    this.timers.set(key(job), list);
  }

  private clearTimers(job: Job) {
    this.timers.get(key(job))?.forEach((c) => c());
    this.timers.delete(key(job));
  }

  private schedule(job: Job): void {
    const due = job.statusSince + (job.durations[job.status] ?? 0);
    const guard = (fn: (j: Job) => void | Promise<void>) => () => {
      const fresh = this.current(job);
      if (!fresh) return;
      // Synchronous up to its first await, so a timer's effect (an abort, say) lands before later microtasks run.
      let result: void | Promise<void>;
      try {
        result = fn(fresh);
      } catch (e) {
        return this.internalFailure(fresh, e);
      }
      if (result) this.track(result.catch((e) => this.internalFailure(fresh, e)));
    };
    // Not started before the timeout: Expired; timed out while running: PartiallyCompleted.
    if (ACTIVE.includes(job.status)) {
      this.at(job, job.jobExpirationTime, guard((j) => this.expire(j, job.jobExpirationTime)));
    }
    switch (job.status) {
      case 'Submitted':
        return this.at(job, due, guard((j) => void this.move(j, 'Validating', undefined, due)));
      case 'Validating':
        return this.at(job, due, guard((j) => this.validate(j, due)));
      case 'Scheduled':
        return this.at(job, due, guard((j) => void this.move(j, 'InProgress', undefined, due)));
      case 'InProgress':
        // Entered just now, or resumed after a restart from the checkpoints.
        if (!this.runs.has(key(job))) this.begin(job);
        return;
      case 'Stopping':
        return this.at(job, due, guard((j) => this.finishStop(j, due)));
    }
  }

  /**
   * The job's batch quotas: the configured ones, except that a model's own published quota (catalogue data) replaces
   * a quota the configuration leaves at its default.
   */
  private quotasFor(job: Job): Quotas {
    const quotas = { ...this.config.get().quotas };
    const own = getModel(job.baseModelId, this.catalog)?.batchQuotas ?? {};
    for (const [name, value] of Object.entries(own) as [keyof Quotas, number][]) {
      if (quotas[name] === DEFAULT_CONFIG.quotas[name]) quotas[name] = value;
    }
    return quotas;
  }

  private async validate(job: Job, due: number) {
    const s3 = this.s3;
    const out = parseS3Uri(job.outputDataConfig.s3OutputDataConfig.s3Uri);
    const outputOk = out && (await s3.bucketExists(out.bucket));
    const check = await (job.openaiBatch ? checkOpenAIBatchInput : checkInput)(s3, job.inputDataConfig.s3InputDataConfig.s3Uri, this.quotasFor(job));
    const fresh = this.current(job);
    if (!fresh) return;
    if (!check.ok) return void this.move(fresh, 'Failed', check.message, due);
    if (!outputOk) return void this.move(fresh, 'Failed', `Amazon Bedrock can't access the output location ${job.outputDataConfig.s3OutputDataConfig.s3Uri}: the bucket does not exist or the service role has no permission to write to it.`, due);
    const counts = { totalRecordCount: check.total, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0, inputTokenCount: 0, outputTokenCount: 0 };
    this.store.keepInput(fresh, { bucket: check.bucket, files: check.files });
    this.move(fresh, 'Scheduled', undefined, due, counts);
  }

  private begin(job: Job) {
    const r: Run = { abort: new AbortController(), done: Promise.resolve() };
    this.runs.set(key(job), r);
    r.done = this.track(this.run(job, r.abort.signal))
      .then((changes) => this.afterRun(job, r, changes))
      .catch((e) => {
        this.runs.delete(key(job));
        this.store.dropRun(job);
        this.internalFailure(job, e);
      });
  }

  /** Runs the files not yet checkpointed; resolves with what the job keeps of the run's end, or nothing after a shutdown. */
  private async run(ref: JobRef, signal: AbortSignal): Promise<Partial<Job> | undefined> {
    const { job, done } = this.store.startRun(ref);
    const s3 = this.s3;
    let input = this.store.input(job);
    if (!input) {
      // After a restart the validated file list is gone: list again (validation already passed).
      const check = await (job.openaiBatch ? checkOpenAIBatchInput : checkInput)(s3, job.inputDataConfig.s3InputDataConfig.s3Uri, { ...this.quotasFor(job), minRecordsPerJob: 0 });
      if (!check.ok) throw new Error(check.message);
      input = { bucket: check.bucket, files: check.files };
    }
    await (job.openaiBatch ? runOpenAIBatchFiles : runFiles)(job, input.bucket, input.files, done, {
      s3,
      clock: this.clock,
      scripts: this.scripts,
      catalog: this.catalog,
      signal,
      progress: (d) => this.store.progress(job, d),
      fileDone: (file) => this.store.checkpoint(job, file),
    });
    if (signal.reason === SHUTDOWN) return undefined;
    // An OpenAI batch's results are its .out and .err files; the time they were done is its `finalizing_at`.
    if (job.openaiBatch) return { openaiBatch: { ...job.openaiBatch, finalizingAt: this.clock.now() } };
    await writeManifest(s3, this.store.get(job, job.id)!);
    return {};
  }

  private afterRun(ref: JobRef, r: Run, changes: Partial<Job> | undefined) {
    this.runs.delete(key(ref));
    if (this.closed) return this.store.dropRun(ref);
    this.store.finishRun(ref, changes);
    const job = this.store.get(ref, ref.id);
    // Stopped or timed out while running: stop() and expire() finish the job.
    if (!job || job.status !== 'InProgress' || r.abort.signal.aborted) return;
    const due = job.statusSince + (job.durations.InProgress ?? 0);
    const complete = () => {
      const fresh = this.current(job);
      if (fresh) this.move(fresh, 'Completed', undefined, Math.max(due, this.clock.now()));
    };
    if (this.clock.now() >= due) complete();
    else this.at(job, due, complete);
  }

  private async expire(job: Job, at: number) {
    if (job.status !== 'InProgress') return void this.move(job, 'Expired', `The job didn't start before its timeout of ${job.timeoutDurationInHours} hours.`, at);
    const r = this.runs.get(key(job));
    r?.abort.abort();
    await r?.done;
    const fresh = this.store.get(job, job.id);
    if (fresh?.status === 'InProgress') this.move(fresh, 'PartiallyCompleted', `Not all records could be processed before the job's timeout of ${job.timeoutDurationInHours} hours.`, at);
  }

  private async finishStop(job: Job, due: number) {
    const r = this.runs.get(key(job));
    await r?.done;
    const fresh = this.store.get(job, job.id);
    if (fresh?.status === 'Stopping') this.move(fresh, 'Stopped', undefined, due);
  }

  /** Ends the job Failed with what went wrong; never throws (it is the error path of every step). */
  private internalFailure(job: Job, e: unknown) {
    if (this.closed) return;
    console.error(`bedrock-batch-emulator: job ${job.id} failed internally`, e);
    try {
      const fresh = this.store.get(job, job.id);
      if (fresh && canTransition(fresh.status, 'Failed')) this.move(fresh, 'Failed', failureMessage(e, this.config.get().dataDir));
    } catch (again) {
      console.error(`bedrock-batch-emulator: job ${job.id} could not be marked Failed`, again);
    }
  }
}

function failureMessage(e: unknown, dataDir: string): string {
  const problem = storageProblem(e);
  if (problem) return `The emulator couldn't save the job's state in its data dir ${dataDir} (${problem}); the disk may be full.`;
  return `Internal error while processing the job: ${e instanceof Error ? e.message : String(e)}`;
}

