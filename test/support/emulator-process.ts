// The emulator as `npm start` runs it (src/emulator/main.ts, through tsx) in a child process, for the tests that end
// it with signals, start a second one on its data dir or limit its resources. `wrapper` runs it through another
// command (sh -c 'ulimit …; exec "$@"'). Call killChildren() in afterAll: every child still running is killed.
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { clientsFor } from '../jobs/helpers.js';

export interface Exit {
  code: number | null;
  signal: string | null;
}

export interface EmulatorProcess {
  child: ChildProcess;
  endpoint: string;
  s3Endpoint: string;
  bedrock: BedrockClient;
  s3: S3Client;
  exited: Promise<Exit>;
}

const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const c of children) c.kill('SIGKILL');
}

/** Starts the emulator with these command-line options; rejects with its exit status and stderr if it doesn't start. */
export async function spawnEmulator(options: string[], wrapper: string[] = []): Promise<EmulatorProcess> {
  const command = [...wrapper, process.execPath, '--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--s3-port', '0', ...options];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => (children.delete(child), resolve({ code, signal }))));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
    process.stderr.write(d);
  });
  const endpoints = await new Promise<{ endpoint: string; s3Endpoint: string }>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const b = /AWS_ENDPOINT_URL_BEDROCK=(\S+)/.exec(out);
      const s = /AWS_ENDPOINT_URL_S3=(\S+)/.exec(out);
      if (b && s) resolve({ endpoint: b[1], s3Endpoint: s[1] });
    });
    void exited.then(({ code }) => reject(new EmulatorExited(code, err)));
  });
  return { child, exited, ...endpoints, ...clientsFor(endpoints as unknown as RunningEmulator) };
}

export class EmulatorExited extends Error {
  constructor(readonly code: number | null, readonly stderr: string) {
    super(`emulator exited with ${code}: ${stderr}`);
  }
}

/** Ends the emulator with `signal`; resolves with how it exited. */
export async function kill(emulator: EmulatorProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
  emulator.child.kill(signal);
  return emulator.exited;
}

/**
 * Waits on a job's events in an emulator reached over HTTP (GET /_emulator/jobs/{id}/wait) until it has processed
 * `processed` records or ended, or `timeoutMs` passes: an event to wait on instead of polling on a timer. Answers
 * whether it got there.
 */
export async function jobProgress(endpoint: string, jobId: string, processed: number, timeoutMs = 5_000): Promise<boolean> {
  const query = new URLSearchParams({ processed: String(processed), status: 'Completed,PartiallyCompleted,Failed,Stopped,Expired', timeoutMs: String(timeoutMs) });
  const res = await fetch(`${endpoint}/_emulator/jobs/${jobId}/wait?${query}`);
  return res.ok && ((await res.json()) as { reached: boolean }).reached;
}
