// The Validating step, case by case, with the quotas at their boundaries. The rules are written here from AWS's
// documentation: batch-inference-data.html (input is a `.jsonl` file, or a folder of them; each line a JSON object
// {"recordId", "modelInput"}), batch-inference-create.html (the job fails at validation when the input breaks
// these rules), and the quota table of quotas.html, "Batch inference": records per input file, records per job,
// input file size, job size, and a minimum number of records per job — a quota of N allows N.
import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { claude, putJsonl, ROLE, startEmulatorForTest, waitFor } from '../jobs/helpers.js';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const QUOTAS = { minRecordsPerJob: 1, maxRecordsPerFile: 1000, maxRecordsPerJob: 1000, maxInputFileBytes: 1_000_000, maxJobBytes: 1_000_000 };

async function emulator(quotas: Partial<typeof QUOTAS> = {}) {
  const e = await startEmulatorForTest({ quotas: { ...QUOTAS, ...quotas } });
  cleanups.push(e.cleanup);
  await putJsonl(e.s3, 'val-out', 'keep.txt', ['x']);
  return e;
}

const record = (i: number) => JSON.stringify({ recordId: `r${i}`, modelInput: claude(`q ${i}`) });
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => record(from + i));

async function put(e: Awaited<ReturnType<typeof emulator>>, bucket: string, key: string, body: string) {
  await putJsonl(e.s3, bucket, '.keep.txt', ['x']); // creates the bucket
  await e.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

let jobs = 0;
/** Runs a job over `input` and answers its final status and message. */
async function run(e: Awaited<ReturnType<typeof emulator>>, input: string) {
  const out = await e.bedrock.send(new CreateModelInvocationJobCommand({
    jobName: `val-${++jobs}`, roleArn: ROLE, modelId: HAIKU,
    inputDataConfig: { s3InputDataConfig: { s3Uri: input } },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://val-out/o/' } },
  }));
  const job = await waitFor(e.bedrock, out.jobArn!);
  return { status: job.status, message: job.message ?? '', total: job.totalRecordCount };
}

describe('where the input is', () => {
  it('takes the object named by the URI as the one input file', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'one.jsonl', lines(3).join('\n'));
    await put(e, 'val-in', 'one.jsonl/other.jsonl', lines(5).join('\n'));
    expect(await run(e, 's3://val-in/one.jsonl')).toMatchObject({ status: 'Completed', total: 3 });
  });
  it('takes every .jsonl under a folder, with or without the trailing slash, and ignores other files', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'dir/a.jsonl', lines(2).join('\n'));
    await put(e, 'val-in', 'dir/b.jsonl', lines(3, 2).join('\n'));
    await put(e, 'val-in', 'dir/notes.txt', 'not a record');
    expect(await run(e, 's3://val-in/dir/')).toMatchObject({ status: 'Completed', total: 5 });
    expect(await run(e, 's3://val-in/dir')).toMatchObject({ status: 'Completed', total: 5 });
  });
  it('takes a folder, not the keys that merely start with its name, and skips the console\'s zero-byte folder object', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'dir/', ''); // what the S3 console's "Create folder" writes
    await put(e, 'val-in', 'dir/a.jsonl', lines(2).join('\n'));
    await put(e, 'val-in', 'dirx/b.jsonl', lines(3).join('\n'));
    await put(e, 'val-in', 'dir.jsonl', lines(4).join('\n'));
    expect(await run(e, 's3://val-in/dir/')).toMatchObject({ status: 'Completed', total: 2 });
    expect(await run(e, 's3://val-in/dir')).toMatchObject({ status: 'Completed', total: 2 });
  });
  it('reads a folder\'s files in key order: the first bad file by key is the one named', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'two/a.jsonl', [record(0), 'not json'].join('\n'));
    await put(e, 'val-in', 'two/b.jsonl', [record(1), 'not json'].join('\n'));
    const r = await run(e, 's3://val-in/two/');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('Line 2 of s3://val-in/two/a.jsonl');
  });
  it('fails when nothing is there, naming the location', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'dir/notes.txt', 'x');
    const r = await run(e, 's3://val-in/dir/');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('s3://val-in/dir/');
    expect(r.message).toMatch(/\.jsonl/);
  });
  it('fails when the bucket does not exist, naming the bucket', async () => {
    const e = await emulator();
    const r = await run(e, 's3://val-no-such-bucket/in.jsonl');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('val-no-such-bucket');
  });
  it('fails a named object without the .jsonl extension', async () => {
    const e = await emulator();
    await put(e, 'val-in', 'in.json', lines(2).join('\n'));
    const r = await run(e, 's3://val-in/in.json');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('s3://val-in/in.json');
    expect(r.message).toContain('.jsonl');
  });
  it('fails a location with a dot segment, which names no object', async () => {
    const e = await emulator();
    const r = await run(e, 's3://val-in/a/../in.jsonl');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('s3://val-in/a/../in.jsonl');
  });
});

describe('what each line must be', () => {
  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"recordId": "x", ', /not valid JSON/],
    ['JSON nested deeper than the parser allows', `{"recordId":"x","modelInput":${'['.repeat(1500)}${']'.repeat(1500)}}`, /nested deeper than 1000/],
    ['a JSON array', '[1, 2]', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['a JSON string', '"text"', /not a JSON object/],
    ['a record without modelInput', '{"recordId": "x"}', /modelInput/],
    ['a record whose modelInput is null', '{"recordId": "x", "modelInput": null}', /modelInput/],
    ['a record whose modelInput is an array', '{"recordId": "x", "modelInput": []}', /modelInput/],
    ['a record whose modelInput is a string', '{"recordId": "x", "modelInput": "hi"}', /modelInput/],
    ['a record whose recordId is a number', '{"recordId": 7, "modelInput": {}}', /recordId/],
  ];
  for (const [what, line, why] of bad) {
    it(`fails a file with ${what} on line 3, naming the line and the file`, async () => {
      const e = await emulator();
      await put(e, 'val-in', 'in.jsonl', [...lines(2), line, ...lines(2, 2)].join('\n'));
      const r = await run(e, 's3://val-in/in.jsonl');
      expect(r.status).toBe('Failed');
      expect(r.message).toContain('Line 3 of s3://val-in/in.jsonl');
      expect(r.message).toMatch(why);
    });
  }
  it('skips blank and whitespace-only lines, and takes a record without recordId', async () => {
    const e = await emulator();
    const noId = JSON.stringify({ modelInput: claude('no id') });
    await put(e, 'val-in', 'in.jsonl', [record(0), '', '   ', record(1), noId, ''].join('\n'));
    expect(await run(e, 's3://val-in/in.jsonl')).toMatchObject({ status: 'Completed', total: 3 });
  });
});

describe('quotas at their boundaries (a quota of N allows N)', () => {
  it('records per input file', async () => {
    const e = await emulator({ maxRecordsPerFile: 4 });
    await put(e, 'val-in', 'ok.jsonl', lines(4).join('\n'));
    await put(e, 'val-in', 'over.jsonl', lines(5).join('\n'));
    expect(await run(e, 's3://val-in/ok.jsonl')).toMatchObject({ status: 'Completed', total: 4 });
    const r = await run(e, 's3://val-in/over.jsonl');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('s3://val-in/over.jsonl');
    expect(r.message).toContain('more than 4 records');
  });
  it('records per job, over several files', async () => {
    const e = await emulator({ maxRecordsPerJob: 5 });
    await put(e, 'val-in', 'ok/a.jsonl', lines(2).join('\n'));
    await put(e, 'val-in', 'ok/b.jsonl', lines(3, 2).join('\n'));
    await put(e, 'val-in', 'over/a.jsonl', lines(3).join('\n'));
    await put(e, 'val-in', 'over/b.jsonl', lines(3, 3).join('\n'));
    expect(await run(e, 's3://val-in/ok/')).toMatchObject({ status: 'Completed', total: 5 });
    const r = await run(e, 's3://val-in/over/');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('more than 5 records');
  });
  it('minimum records per job', async () => {
    const e = await emulator({ minRecordsPerJob: 3 });
    await put(e, 'val-in', 'ok.jsonl', lines(3).join('\n'));
    await put(e, 'val-in', 'under.jsonl', lines(2).join('\n'));
    expect(await run(e, 's3://val-in/ok.jsonl')).toMatchObject({ status: 'Completed', total: 3 });
    const r = await run(e, 's3://val-in/under.jsonl');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('2 records');
    expect(r.message).toContain('minimum of 3');
  });
  it('input file size', async () => {
    const body = lines(3).join('\n');
    const size = Buffer.byteLength(body);
    const e = await emulator({ maxInputFileBytes: size });
    await put(e, 'val-in', 'ok.jsonl', body);
    await put(e, 'val-in', 'over.jsonl', body + ' ');
    expect(await run(e, 's3://val-in/ok.jsonl')).toMatchObject({ status: 'Completed', total: 3 });
    const r = await run(e, 's3://val-in/over.jsonl');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain('s3://val-in/over.jsonl');
    expect(r.message).toContain(`${size + 1} bytes`);
    expect(r.message).toContain(`quota of ${size} bytes`);
  });
  it('job size, over several files', async () => {
    const a = lines(2).join('\n');
    const b = lines(2, 2).join('\n');
    const size = Buffer.byteLength(a) + Buffer.byteLength(b);
    const e = await emulator({ maxJobBytes: size });
    await put(e, 'val-in', 'ok/a.jsonl', a);
    await put(e, 'val-in', 'ok/b.jsonl', b);
    await put(e, 'val-in', 'over/a.jsonl', a);
    await put(e, 'val-in', 'over/b.jsonl', b + ' ');
    expect(await run(e, 's3://val-in/ok/')).toMatchObject({ status: 'Completed', total: 4 });
    const r = await run(e, 's3://val-in/over/');
    expect(r.status).toBe('Failed');
    expect(r.message).toContain(`quota of ${size} bytes`);
  });
});
