// kill -9 during InProgress, restart on the same data dir: every job finishes and every record is in the output once.
import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { clientsFor, putJsonl, readText, ROLE, waitFor } from './helpers.js';

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function spawnEmulator(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--s3-port', '0', '--data-dir', dataDir, '--timing', 'instant', '--records-per-second', '4000', '--quota-min-records-per-job', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const endpoints = await new Promise<{ endpoint: string; s3Endpoint: string }>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const b = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(out);
      const s = /AWS_ENDPOINT_URL_S3=(\S+)/.exec(out);
      if (b && s) resolve({ endpoint: b[1], s3Endpoint: s[1] });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return { child, ...clientsFor(endpoints as unknown as RunningEmulator) };
}

describe('crash recovery', () => {
  it.each([1, 2, 3])('survives kill -9 mid-job (run %i)', async (run) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bbe-crash-'));
    dirs.push(dataDir);
    let emu = await spawnEmulator(dataDir);
    const files = 3;
    const perFile = 1000;
    for (let f = 0; f < files; f++) {
      const lines = Array.from({ length: perFile }, (_, i) => ({ recordId: `f${f}r${i}`, modelInput: { inputText: `record ${f}-${i}` } }));
      await putJsonl(emu.s3, 'crash-in', `batch/part-${f}.jsonl`, lines);
    }
    await putJsonl(emu.s3, 'crash-out', 'keep', []);
    const { jobArn } = await emu.bedrock.send(new CreateModelInvocationJobCommand({
      jobName: `crash-${run}`, roleArn: ROLE, modelId: 'amazon.titan-embed-text-v1',
      inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://crash-in/batch/' } },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://crash-out/out/' } },
    }));
    // Kill at a different point each run: after some share of the records.
    const killAt = Math.floor((files * perFile * run) / 4);
    for (;;) {
      const job = await emu.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
      if ((job.processedRecordCount ?? 0) >= killAt || job.status === 'Completed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    emu.child.kill('SIGKILL');
    await new Promise((r) => emu.child.once('exit', r));

    emu = await spawnEmulator(dataDir);
    const job = await waitFor(emu.bedrock, jobArn!);
    expect(job.status).toBe('Completed');
    expect([job.totalRecordCount, job.processedRecordCount, job.successRecordCount]).toEqual([files * perFile, files * perFile, files * perFile]);
    const id = jobArn!.split('/').pop();
    const listed = await emu.s3.send(new ListObjectsV2Command({ Bucket: 'crash-out', Prefix: `out/${id}/` }));
    expect(listed.Contents!.map((o) => o.Key).sort()).toEqual([...Array.from({ length: files }, (_, f) => `out/${id}/part-${f}.jsonl.out`), `out/${id}/manifest.json.out`].sort());
    const seen = new Map<string, number>();
    for (let f = 0; f < files; f++) {
      for (const line of (await readText(emu.s3, 'crash-out', `out/${id}/part-${f}.jsonl.out`)).trim().split('\n')) {
        const id = JSON.parse(line).recordId;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(files * perFile);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const manifest = JSON.parse(await readText(emu.s3, 'crash-out', `out/${id}/manifest.json.out`));
    expect(manifest).toMatchObject({ totalRecordCount: files * perFile, processedRecordCount: files * perFile, successRecordCount: files * perFile, errorRecordCount: 0 });
    emu.child.kill('SIGKILL');
  });
});
