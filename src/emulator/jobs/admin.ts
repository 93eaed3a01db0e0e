// /_emulator/jobs: force a job's status, inject per-record failures, read a job's internals.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { jsonInput } from '../admin-input.js';
import { ACCOUNT, REGION } from '../config.js';
import type { Emulator } from '../emulator.js';
import { AwsError } from '../errors.js';
import { validate } from '../schema.js';
import { TRANSITIONS, type JobStatus } from './lifecycle.js';

const FAILURE_RATE = z.strictObject({ failureRate: z.number().min(0).max(1) });
const FORCE = z.strictObject({ status: z.enum(Object.keys(TRANSITIONS) as [JobStatus, ...JobStatus[]]), message: z.string().max(2048).optional() });
/** ?account=&region= pick the job's scope; other query parameters are ignored. */
const SCOPE = z.object({ account: ACCOUNT.optional(), region: REGION.optional() });

export function jobAdminRoutes(emu: Emulator): Hono {
  const admin = new Hono();
  const find = (c: Context) => {
    const q = validate(SCOPE, c.req.query(), 'Invalid query');
    const account = q.account ?? emu.config.get().account;
    const region = q.region ?? emu.config.get().defaultRegion;
    const id = c.req.param('id')!;
    const job = emu.jobs.engine.get({ account, region }, id);
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
  // {"status": "Failed" | "Expired" | …, "message": "…"}; ?region=…&account=… default to the configured ones.
  admin.post('/:id/force', async (c) => {
    const { status, message } = await jsonInput(c, emu, FORCE, 'Invalid force');
    const job = find(c);
    return c.json({ status: emu.jobs.engine.force(job, status, message).status });
  });
  return admin;
}
