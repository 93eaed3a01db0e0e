// /_emulator/jobs: force a job's status, inject per-record failures, read a job's internals.
import { Hono } from 'hono';
import type { Emulator } from '../emulator.js';
import { AwsError } from '../errors.js';
import { TRANSITIONS, type JobStatus } from './lifecycle.js';
import type { Job } from './store.js';

export function jobAdminRoutes(emu: Emulator, body: (req: Request) => Promise<Record<string, unknown>>): Hono {
  const admin = new Hono();
  const find = (account: string, region: string, id: string) => {
    const job = emu.jobs.engine.get({ account, region }, id);
    if (!job) throw new AwsError('ResourceNotFoundException', `No job ${id} in ${account}/${region}.`);
    return job;
  };
  const scope = (q: (k: string) => string | undefined) => ({ account: q('account') ?? emu.config.get().account, region: q('region') ?? emu.config.get().defaultRegion });
  // {"failureRate": 0.1}: share of records that get an error line, for jobs created afterwards.
  admin.post('/failure-rate', async (c) => {
    const rate = Number((await body(c.req.raw)).failureRate);
    if (!(rate >= 0 && rate <= 1)) throw new AwsError('ValidationException', 'failureRate must be a number between 0 and 1.');
    emu.jobs.failureRate = rate;
    return c.json({ failureRate: rate });
  });
  admin.get('/:id', (c) => {
    const { account, region } = scope((k) => c.req.query(k));
    return c.json({ job: find(account, region, c.req.param('id')), checkpoints: emu.jobs.store.checkpoints(find(account, region, c.req.param('id'))) });
  });
  // ?status=Completed,Failed&processed=N&timeoutMs=T: answers once the job is in one of the statuses or has processed
  // N records (whichever comes first), or after T ms (default 60 s) with `reached: false` — an event to wait on
  // instead of polling GetModelInvocationJob.
  admin.get('/:id/wait', async (c) => {
    const { account, region } = scope((k) => c.req.query(k));
    const id = c.req.param('id');
    const statuses = (c.req.query('status') ?? '').split(',').filter(Boolean);
    for (const s of statuses) if (!(s in TRANSITIONS)) throw new AwsError('ValidationException', `status must be one of ${Object.keys(TRANSITIONS).join(', ')}.`);
    const processed = c.req.query('processed') === undefined ? Infinity : Number(c.req.query('processed'));
    const timeoutMs = c.req.query('timeoutMs') === undefined ? 60_000 : Number(c.req.query('timeoutMs'));
    if (!(processed >= 0) || !(timeoutMs >= 0 && timeoutMs <= 600_000)) throw new AwsError('ValidationException', 'processed must be a number ≥ 0 and timeoutMs a number from 0 to 600000.');
    const reached = (job: Job) => statuses.includes(job.status) || (job.processedRecordCount ?? 0) >= processed;
    const job = find(account, region, id);
    if (reached(job)) return c.json({ job, reached: true });
    const answer = await new Promise<{ job: Job; reached: boolean }>((resolve) => {
      const done = (result: { job: Job; reached: boolean }) => {
        unwatch();
        clearTimeout(timer);
        resolve(result);
      };
      const unwatch = emu.jobs.store.watch((j) => {
        if (j.account === account && j.region === region && j.id === id && reached(j)) done({ job: j, reached: true });
      });
      const timer = setTimeout(() => {
        const now = find(account, region, id);
        done({ job: now, reached: reached(now) });
      }, timeoutMs);
    });
    return c.json(answer);
  });
  // {"status": "Failed" | "Expired" | …, "message": "…"}; ?region=…&account=… default to the configured ones.
  admin.post('/:id/force', async (c) => {
    const { account, region } = scope((k) => c.req.query(k));
    const { status, message } = await body(c.req.raw);
    if (typeof status !== 'string' || !(status in TRANSITIONS)) throw new AwsError('ValidationException', `status must be one of ${Object.keys(TRANSITIONS).join(', ')}.`);
    const job = emu.jobs.engine.force(find(account, region, c.req.param('id')), status as JobStatus, typeof message === 'string' ? message : undefined);
    return c.json({ status: job.status });
  });
  return admin;
}
