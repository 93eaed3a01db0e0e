// /_emulator/jobs: force a job's status, inject per-record failures, read a job's internals.
import { Hono } from 'hono';
import type { Emulator } from '../emulator.js';
import { AwsError } from '../errors.js';
import { TRANSITIONS, type JobStatus } from './lifecycle.js';

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
