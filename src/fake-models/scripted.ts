// Scripted responses and fault injection, for tests of users' own code: canned outputs chosen by model and prompt,
// and per-model errors at a rate (deterministic: every 1/rate-th call fails) with optional latency.
// Scripts and faults arrive validated at the emulator's edge (src/emulator/admin.ts's SCRIPT and FAULT schemas,
// which also hold the error types Bedrock can answer); failures leave as ScriptedFailure, named by that type.
import { ScriptedFailure } from './errors.js';

export interface Script {
  modelId?: string | RegExp;
  /** Matched against the request's prompt text (all text of the body). */
  match?: string | RegExp;
  response: { text?: string; body?: Record<string, unknown>; error?: { type: string; message?: string } };
}

export interface Fault {
  /** The AWS error type to fail with, e.g. `ThrottlingException`. */
  errorType: string;
  /** Share of calls that fail, 0..1. */
  rate: number;
  latencyMs?: number;
  message?: string;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  ThrottlingException: 'Too many requests, please wait before trying again.',
  ModelErrorException: 'The model encountered an error processing your request.',
  ModelTimeoutException: 'Model has timed out in processing the request. Try your request again.',
  ModelNotReadyException: 'Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation.',
  ServiceUnavailableException: 'Service is temporarily unavailable. Try again later.',
  InternalServerException: 'An internal server error occurred. Retry your request.',
};

const toRegExp = (p: string | RegExp) => (typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : p);
const reviveRegExp = (v: unknown) => (typeof v === 'string' && /^\/.*\/[a-z]*$/.test(v) ? new RegExp(v.slice(1, v.lastIndexOf('/')), v.slice(v.lastIndexOf('/') + 1)) : v);

export class ScriptBook {
  private scripts: Script[] = [];
  private faults = new Map<string, Fault & { calls: number }>();

  registerScript(script: Script): void {
    this.scripts.push({ ...script, modelId: script.modelId && reviveRegExp(script.modelId) as string | RegExp, match: script.match && reviveRegExp(script.match) as string | RegExp });
  }

  clearScripts(): void {
    this.scripts = [];
  }

  setFaults(modelId: string, fault: Fault): void {
    this.faults.set(modelId, { ...fault, calls: 0 });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The first script matching the model and prompt text, if any; the text is asked for once, if a script needs it. */
  scriptFor(modelId: string, promptText: () => string): Script | undefined {
    let text: string | undefined;
    return this.scripts.find(
      (s) => (!s.modelId || toRegExp(s.modelId).test(modelId)) && (!s.match || toRegExp(s.match).test((text ??= promptText()))),
    );
  }

  /** Counts a call; returns the error to answer when this call is one of the fault's share, and the latency. */
  fault(modelId: string): { error?: ScriptedFailure; delayMs: number } {
    const f = this.faults.get(modelId) ?? this.faults.get('*');
    if (!f) return { delayMs: 0 };
    const n = f.calls++;
    const fails = Math.floor((n + 1) * f.rate) > Math.floor(n * f.rate);
    const error = fails ? new ScriptedFailure(f.errorType, f.message ?? DEFAULT_MESSAGES[f.errorType] ?? `Injected ${f.errorType}.`, f.errorType === 'ModelErrorException' ? { originalStatusCode: 500, resourceName: modelId } : {}) : undefined;
    return { error, delayMs: f.latencyMs ?? 0 };
  }
}

export const scriptedError = (script: Script) => {
  const e = script.response.error!;
  return new ScriptedFailure(e.type, e.message ?? DEFAULT_MESSAGES[e.type] ?? `Scripted ${e.type}.`);
};
