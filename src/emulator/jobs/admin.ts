// /_emulator/jobs: force a job's status, inject per-record failures, read a job's internals.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { jsonInput } from '../admin-input.js';
import { ACCOUNT, REGION } from '../config.js';
import type { Emulator } from '../emulator.js';
import { AwsError } from '../errors.js';
import { validate } from '../schema.js';
import { TRANSITIONS, type JobStatus } from './lifecycle.js';
import type { Job } from './store.js';

const FAILURE_RATE = z.strictObject({ failureRate: z.number().min(0).max(1) });
const FORCE = z.strictObject({ status: z.enum(Object.keys(TRANSITIONS) as [JobStatus, ...JobStatus[]]), message: z.string().max(2048).optional() });
/** ?account=&region= pick the job's scope; other query parameters are ignored. */
const SCOPE = z.object({ account: ACCOUNT.optional(), region: REGION.optional() });
const STATUS_LIST = new RegExp(`^(?:(?:${Object.keys(TRANSITIONS).join('|')}),?)*$`);
const WAIT = SCOPE.extend({
  status: z.string().regex(STATUS_LIST, `must be a comma-separated list of ${Object.keys(TRANSITIONS).join(', ')}`).optional(),
  processed: z.coerce.number().int().min(0).default(Number.MAX_SAFE_INTEGER),
  timeoutMs: z.coerce.number().int().min(0).max(600_000).default(60_000),
});

export function jobAdminRoutes(emu: Emulator): Hono {
  const admin = new Hono();
  const find = (c: Context) => {
    const q = validate(SCOPE, c.req.query(), 'Invalid query');
    const account = q.account ?? emu.config.get().account;
    const region = q.region ?? emu.config.get().defaultRegion;
    const id = c.req.param('id')!;
    const job = emu.jobs.store.get({ account, region }, id);
    if (!job) throw new AwsError('ResourceNotFoundException', `No job ${id} in ${account}/${region}.`);
    return job;
  };
  // {"failureRate": 0.1}: share of records that get an error line, for jobs created afterwards.
  admin.post('/failure-rate', async (c) => {
    const { failureRate } = await jsonInput(c, emu, FAILURE_RATE, 'Invalid failure rate');
    emu.jobs.failureRate = failureRate;
    return c.json({ failureRate });
  });
  admin.get('/:id', (c) => {
    const job = find(c);
    return c.json({ job, checkpoints: emu.jobs.store.checkpoints(job) });
  });
  // ?status=Completed,Failed&processed=N&timeoutMs=T: answers once the job is in one of the statuses or has processed
  // N records (whichever comes first), or after T ms (default 60 s) with `reached: false` — an event to wait on
  // instead of polling GetModelInvocationJob.
  admin.get('/:id/wait', async (c) => {
    const q = validate(WAIT, c.req.query(), 'Invalid query');
    const statuses: string[] = q.status ? q.status.split(',').filter(Boolean) : [];
    const reached = (j: Job) => statuses.includes(j.status) || (j.processedRecordCount ?? 0) >= q.processed;
    const job = find(c);
    if (reached(job)) return c.json({ job, reached: true });
    const answer = await new Promise<{ job: Job; reached: boolean }>((resolve) => {
      const done = (result: { job: Job; reached: boolean }) => {
        unwatch();
        clearTimeout(timer);
        resolve(result);
      };
      const unwatch = emu.jobs.store.watch((j) => {
        if (j.account === job.account && j.region === job.region && j.id === job.id && reached(j)) done({ job: j, reached: true });
      });
      const timer = setTimeout(() => {
        const now = find(c);
        done({ job: now, reached: reached(now) });
      }, q.timeoutMs);
    });
    return c.json(answer);
  });
  // {"status": "Failed" | "Expired" | …, "message": "…"}; ?region=…&account=… default to the configured ones.
  admin.post('/:id/force', async (c) => {
    const { status, message } = await jsonInput(c, emu, FORCE, 'Invalid force');
    const job = find(c);
    return c.json({ status: emu.jobs.engine.force(job, status, message).status });
  });
  return admin;
}
