// Everything that is not AWS's API: health, configuration, the clock. Mounted at /_emulator.
import { Hono } from 'hono';
import type { Emulator } from './emulator.js';
import { AwsError } from './errors.js';
import { parseJson } from './json.js';
import { jobAdminRoutes } from './jobs/admin.js';

async function jsonValue(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  try {
    return parseJson(text);
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.');
  }
}

async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const value = await jsonValue(req);
  if (typeof value === 'object' && value && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new AwsError('SerializationException', 'The request body must be a JSON object.');
}

/**
 * Options read once at start: addresses, ports and files (the data dir, the scripts file, an external S3). A
 * running emulator refuses to change them, so a request cannot point it at other files or another endpoint
 * (posting back the current value is accepted, so GET's answer can be sent back with changes).
 */
const START_ONLY = ['host', 'port', 's3Port', 's3Endpoint', 'dataDir', 'scriptsFile'] as const;

export function adminRoutes(emu: Emulator): Hono {
  const admin = new Hono();
  admin.get('/health', (c) => c.json({ status: 'ok', s3Endpoint: emu.s3Endpoint, time: emu.clock.date().toISOString() }));
  admin.get('/config', (c) => c.json(emu.config.get()));
  admin.post('/config', async (c) => {
    const patch = await jsonBody(c.req.raw);
    const current = emu.config.get() as unknown as Record<string, unknown>;
    const fixed = START_ONLY.filter((k) => k in patch && patch[k] !== current[k]);
    if (fixed.length) {
      throw new AwsError('ValidationException', `Invalid configuration: ${fixed.join(', ')} can only be set when the emulator starts (flag, environment variable or config file).`);
    }
    return c.json(emu.config.update(patch));
  });
  admin.get('/clock', (c) => c.json({ now: emu.clock.date().toISOString() }));
  // {"advanceMs": 60000} or {"advanceSeconds": 60}: fires every timer that became due, in order.
  admin.post('/clock/advance', async (c) => {
    const body = await jsonBody(c.req.raw);
    const ms = Number(body.advanceMs ?? Number(body.advanceSeconds ?? NaN) * 1000);
    if (!(ms >= 0)) throw new AwsError('ValidationException', 'Give advanceMs or advanceSeconds as a non-negative number.');
    emu.clock.advance(ms);
    return c.json({ now: emu.clock.date().toISOString() });
  });
  // Scripted responses: one script or an array (see src/fake-models/scripted.ts); DELETE clears them.
  admin.post('/scripts', async (c) => {
    const body = await jsonValue(c.req.raw);
    for (const script of Array.isArray(body) ? body : [body]) emu.scripts.registerScript(script);
    return c.json({ ok: true });
  });
  admin.delete('/scripts', (c) => (emu.scripts.clearScripts(), c.json({ ok: true })));
  // Fault injection: {"modelId": "anthropic.claude-3-haiku-20240307-v1:0" | "*", "errorType", "rate", "latencyMs"}.
  admin.post('/faults', async (c) => {
    const { modelId = '*', ...fault } = await jsonBody(c.req.raw);
    emu.scripts.setFaults(String(modelId), fault as never);
    return c.json({ ok: true });
  });
  admin.delete('/faults', (c) => (emu.scripts.clearFaults(), c.json({ ok: true })));
  admin.route('/jobs', jobAdminRoutes(emu, jsonBody));
  admin.all('*', () => {
    throw new AwsError('UnknownOperationException', 'Unknown emulator admin route.');
  });
  return admin;
}
