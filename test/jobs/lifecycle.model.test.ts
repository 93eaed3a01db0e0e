// Model-based test: random sequences of create, stop, clock advances, restarts, get and list, checked against the
// documented lifecycle written below (not the engine's own table), then every job run to its end.
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, ListModelInvocationJobsCommand, StopModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatch, DEFAULT_CONFIG } from '../../src/emulator/config.js';
import { startServer, type RunningEmulator } from '../../src/emulator/server.js';
import { claude, clientsFor, putJsonl, ROLE } from './helpers.js';
import { DOCUMENTED_NEXT as NEXT } from '../support/documented-lifecycle.js';

// The reference lifecycle: test/support/documented-lifecycle.ts (from AWS's documentation, not the engine).
const FINAL = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'];
/** Statuses reachable from each status in zero or more documented steps (observations skip steps). */
const REACHABLE: Record<string, Set<string>> = {};
for (const from of Object.keys(NEXT)) {
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length) for (const to of NEXT[queue.shift()!]) if (!seen.has(to)) (seen.add(to), queue.push(to));
  REACHABLE[from] = seen;
}
const RECORDS = 4;

interface Seen {
  status: string;
  processed: number;
  /** A stop was accepted for it. */
  stopped: boolean;
  /** It was seen running. */
  started: boolean;
}
interface Real {
  server: RunningEmulator;
  dataDir: string;
}
type Model = { jobs: Map<string, Seen> };

const observe = (model: Model, job: { jobArn?: string; status?: string; processedRecordCount?: number; successRecordCount?: number; errorRecordCount?: number; totalRecordCount?: number }) => {
  const prev = model.jobs.get(job.jobArn!);
  const processed = job.processedRecordCount ?? 0;
  if (prev) {
    expect(REACHABLE[prev.status].has(job.status!), `${prev.status} → ${job.status}`).toBe(true);
    expect(processed).toBeGreaterThanOrEqual(prev.processed);
  }
  expect((job.successRecordCount ?? 0) + (job.errorRecordCount ?? 0)).toBe(processed);
  if (job.totalRecordCount !== undefined) expect(processed).toBeLessThanOrEqual(job.totalRecordCount);
  model.jobs.set(job.jobArn!, { status: job.status!, processed, stopped: prev?.stopped ?? false, started: (prev?.started ?? false) || job.status === 'InProgress' });
};

// Job names stay taken (AWS refuses a reused one): each create names its job afresh.
let created = 0;

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly modelId: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { bedrock } = clientsFor(real.server);
    const out = await bedrock.send(new CreateModelInvocationJobCommand({
      jobName: `model-${++created}`, roleArn: ROLE, modelId: this.modelId,
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://model-in/in.jsonl' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://model-out/o/' } },
    })).catch((e) => e);
    if (out instanceof Error) return void expect(out.name).toBe('ServiceQuotaExceededException');
    model.jobs.set(out.jobArn!, { status: 'Submitted', processed: 0, stopped: false, started: false });
  }
  toString = () => `create(${this.modelId})`;
}

class Stop implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.jobs.size > 0;
  async run(model: Model, real: Real) {
    const arn = [...model.jobs.keys()][this.pick % model.jobs.size];
    const err = await clientsFor(real.server).bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e) => e);
    const job = await clientsFor(real.server).bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }));
    if (err instanceof Error) {
      // A job that has ended, or is stopping already, cannot be stopped: ValidationException "… State was: <status>"
      // (the wording real clients such as Apache Airflow's Bedrock system test match).
      expect(err.name).toBe('ValidationException');
      expect(err.message).toContain(`State was: ${job.status}`);
      expect([...FINAL, 'Stopping']).toContain(job.status);
    } else {
      expect(['Stopping', 'Stopped']).toContain(job.status);
      model.jobs.get(arn)!.stopped = true;
    }
    observe(model, job);
  }
  toString = () => `stop(${this.pick})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: Model, real: Real) {
    real.server.emu.clock.advance(this.ms);
    await real.server.emu.jobs.engine.idle();
  }
  toString = () => `advance(${this.ms})`;
}

class Restart implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, real: Real) {
    await real.server.emu.jobs.engine.idle();
    await real.server.stop();
    real.server = await startServer(applyPatch(real.server.config, { port: 0, s3Port: 0 }));
    await real.server.emu.jobs.engine.idle();
  }
  toString = () => 'restart';
}

class GetAll implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    const { bedrock } = clientsFor(real.server);
    const list = await bedrock.send(new ListModelInvocationJobsCommand({ sortOrder: 'Ascending' }));
    expect(list.invocationJobSummaries!.map((j) => j.jobArn).sort()).toEqual([...model.jobs.keys()].sort());
    for (const summary of list.invocationJobSummaries!) observe(model, await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: summary.jobArn })));
  }
  toString = () => 'getAll';
}

/** Lets every job run to its end, then checks how each ended against what happened to it. */
class Finish implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    const { bedrock } = clientsFor(real.server);
    for (let i = 0; i < 10; i++) {
      real.server.emu.clock.advance(200 * 3_600_000);
      await real.server.emu.jobs.engine.idle();
    }
    for (const [jobArn, seen] of model.jobs) {
      const job = await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      observe(model, job);
      expect(FINAL, `${jobArn} ended`).toContain(job.status);
      if (seen.stopped) expect(['Stopped', 'Completed', 'PartiallyCompleted', 'Failed', 'Expired']).toContain(job.status);
      else expect(['Completed', 'PartiallyCompleted', 'Expired']).toContain(job.status);
      if (seen.started) expect(job.status).not.toBe('Expired');
      // Once ended, a stop is refused, naming the state (AWS: "… State was: Completed").
      const refused = await bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })).catch((e) => e);
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toContain(`State was: ${job.status}`);
      if (job.status === 'Completed') {
        expect(job.totalRecordCount).toBe(RECORDS);
        expect(job.processedRecordCount).toBe(RECORDS);
        // The records are Claude bodies: Claude answers each; Titan Text refuses each (an error line, not a failure).
        expect(job.modelId!.includes('claude') ? job.successRecordCount : job.errorRecordCount).toBe(RECORDS);
      }
    }
  }
  toString = () => 'finish';
}

describe('job lifecycle against a reference model', () => {
  it('never makes an undocumented transition; counts are monotonic and consistent; every job ends, as what happened to it says', async () => {
    const HOUR = 3_600_000;
    await fc.assert(
      fc.asyncProperty(
        fc.commands(
          [
            fc.constantFrom('anthropic.claude-3-haiku-20240307-v1:0', 'amazon.titan-text-lite-v1').map((m) => new Create(m)),
            fc.nat(20).map((n) => new Stop(n)),
            fc.constantFrom(0, HOUR / 2, HOUR, 3 * HOUR, 25 * HOUR).map((ms) => new Advance(ms)),
            fc.constant(new Restart()),
            fc.constant(new GetAll()),
          ],
          { maxCommands: 14 },
        ),
        async (cmds) => {
          const dataDir = mkdtempSync(join(tmpdir(), 'bbe-model-'));
          const config = applyPatch({ ...DEFAULT_CONFIG, port: 0, s3Port: 0, dataDir }, { timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 3 } });
          const real: Real = { server: await startServer(config), dataDir };
          try {
            const { s3 } = clientsFor(real.server);
            await putJsonl(s3, 'model-in', 'in.jsonl', Array.from({ length: RECORDS }, (_, i) => ({ modelInput: claude(`n${i}`) })));
            await putJsonl(s3, 'model-out', 'keep', []);
            await fc.asyncModelRun(() => ({ model: { jobs: new Map() }, real }), [...cmds, new GetAll(), new Finish()]);
          } finally {
            await real.server.stop();
            rmSync(dataDir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
