// Every documented step of a batch job, and only those, through the admin force route: a job held in each state
// (timing `manual`, so nothing moves unless forced) is forced to every status. The reference table is written here
// from the service model's ModelInvocationJobStatus documentation (Submitted → Validating → Scheduled → InProgress
// → Completed / PartiallyCompleted; Failed ends any step before the end; Expired when a job "didn't begin before the
// set timeout"; a stop goes through Stopping to Stopped) — not imported from the engine. Also: which statuses count
// toward the quota of batch jobs "submitted and in progress" per model (AWS Service Quotas, batch inference).
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand, StopModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claude, putJsonl, ROLE, startEmulatorForTest } from '../jobs/helpers.js';
import { DOCUMENTED_NEXT as NEXT } from '../support/documented-lifecycle.js';

const ALL = ['Submitted', 'Validating', 'Scheduled', 'InProgress', 'Completed', 'PartiallyCompleted', 'Failed', 'Stopping', 'Stopped', 'Expired'];
/** A path of forced steps from Submitted to each status. */
const PATH: Record<string, string[]> = {
  Submitted: [],
  Validating: ['Validating'],
  Scheduled: ['Validating', 'Scheduled'],
  InProgress: ['Validating', 'Scheduled', 'InProgress'],
  Stopping: ['Stopping'],
  Completed: ['Validating', 'Scheduled', 'InProgress', 'Completed'],
  PartiallyCompleted: ['Validating', 'Scheduled', 'InProgress', 'PartiallyCompleted'],
  Failed: ['Failed'],
  Stopped: ['Stopping', 'Stopped'],
  Expired: ['Expired'],
};
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const FINAL = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'];

let emu: Awaited<ReturnType<typeof startEmulatorForTest>>;
let jobs = 0;
beforeAll(async () => {
  emu = await startEmulatorForTest({ timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1000 } });
  await putJsonl(emu.s3, 'life-in', 'in.jsonl', [{ recordId: 'r1', modelInput: claude('hello') }]);
  await putJsonl(emu.s3, 'life-out', 'keep.txt', ['x']);
});
afterAll(() => emu?.cleanup());

async function create(modelId = HAIKU): Promise<string> {
  const out = await emu.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `life-${++jobs}`, roleArn: ROLE, modelId,
    inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://life-in/in.jsonl' } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://life-out/o/' } },
  }));
  return out.jobArn!;
}

async function force(arn: string, status: string): Promise<number> {
  const res = await fetch(`${emu.server.endpoint}/_emulator/jobs/${arn.split('/')[1]}/force`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }),
  });
  await res.body?.cancel();
  return res.status;
}

const statusOf = async (arn: string) => (await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }))).status;

async function jobIn(status: string): Promise<string> {
  const arn = await create();
  for (const step of PATH[status]) expect(await force(arn, step), `forcing ${step} on the way to ${status}`).toBe(200);
  expect(await statusOf(arn)).toBe(status);
  return arn;
}

describe('batch job lifecycle: the documented steps and no others', () => {
  for (const from of ALL) {
    it(`from ${from}: refuses ${ALL.filter((s) => !NEXT[from].includes(s)).join(', ') || 'nothing'}`, async () => {
      const arn = await jobIn(from);
      for (const to of ALL.filter((s) => !NEXT[from].includes(s))) {
        expect(await force(arn, to), `${from} → ${to}`).toBe(400);
        expect(await statusOf(arn)).toBe(from);
      }
    });
    for (const to of NEXT[from]) {
      it(`from ${from}: moves to ${to}`, async () => {
        const arn = await jobIn(from);
        expect(await force(arn, to)).toBe(200);
        expect(await statusOf(arn)).toBe(to);
      });
    }
  }
});

describe('a job that has ended', () => {
  // StopModelInvocationJob on an ended job: ValidationException "… can't be stopped. State was: <status>" (the form
  // real clients catch: Apache Airflow's Bedrock system test, LiteLLM); an ended job has an endTime, a running one none.
  for (const status of FINAL) {
    it(`${status}: has an endTime and cannot be stopped`, async () => {
      const arn = await jobIn(status);
      expect((await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: arn }))).endTime).toBeInstanceOf(Date);
      const err = await emu.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arn })).catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'ValidationException' });
      expect((err as Error).message).toContain(`State was: ${status}`);
      expect(await statusOf(arn)).toBe(status);
    });
  }
  it('a job still running has no endTime', async () => {
    for (const status of ['Submitted', 'Validating', 'Scheduled', 'InProgress']) {
      expect((await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: await jobIn(status) }))).endTime, status).toBeUndefined();
    }
  });
});

describe('jobs that count toward "batch inference jobs submitted and in progress per model"', () => {
  // One emulator per case with a quota of 1: the first job held in a status decides whether a second is accepted.
  for (const [status, counts] of [
    ['Submitted', true], ['Validating', true], ['Scheduled', true], ['InProgress', true],
    ['Completed', false], ['Failed', false], ['Stopped', false], ['Expired', false], ['PartiallyCompleted', false],
  ] as const) {
    it(`${status}: ${counts ? 'counts' : 'does not count'}`, async () => {
      const e = await startEmulatorForTest({ timing: 'manual', quotas: { minRecordsPerJob: 1, maxConcurrentJobsPerModel: 1 } });
      try {
        await putJsonl(e.s3, 'q-in', 'in.jsonl', [{ recordId: 'r1', modelInput: claude('hello') }]);
        const send = (name: string) => e.bedrock.send(new CreateModelInvocationJobCommand({
          jobName: name, roleArn: ROLE, modelId: HAIKU,
          inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://q-in/in.jsonl' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://q-in/o/' } },
        }));
        const first = (await send('first')).jobArn!;
        for (const step of PATH[status]) {
          const res = await fetch(`${e.server.endpoint}/_emulator/jobs/${first.split('/')[1]}/force`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: step }),
          });
          expect(res.status).toBe(200);
        }
        const second = await send('second').catch((err: Error) => err);
        if (counts) expect((second as Error).name).toBe('ServiceQuotaExceededException');
        else expect((second as { jobArn?: string }).jobArn).toMatch(/model-invocation-job\//);
      } finally {
        await e.cleanup();
      }
    });
  }
});
