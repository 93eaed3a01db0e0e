// Everything that is not AWS's API: health, configuration, the clock. Mounted at /_emulator.
import { Hono } from 'hono';
import type { Emulator } from './emulator.js';
import { AwsError } from './errors.js';

async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new AwsError('SerializationException', 'The request body must be a JSON object.');
}

export function adminRoutes(emu: Emulator): Hono {
  const admin = new Hono();
  admin.get('/health', (c) => c.json({ status: 'ok', s3Endpoint: emu.s3Endpoint, time: emu.clock.date().toISOString() }));
  admin.get('/config', (c) => c.json(emu.config.get()));
  admin.post('/config', async (c) => c.json(emu.config.update(await jsonBody(c.req.raw))));
  admin.get('/clock', (c) => c.json({ now: emu.clock.date().toISOString() }));
  // {"advanceMs": 60000} or {"advanceSeconds": 60}: fires every timer that became due, in order.
  admin.post('/clock/advance', async (c) => {
    const body = await jsonBody(c.req.raw);
    const ms = Number(body.advanceMs ?? Number(body.advanceSeconds ?? NaN) * 1000);
    if (!(ms >= 0)) throw new AwsError('ValidationException', 'Give advanceMs or advanceSeconds as a non-negative number.');
    emu.clock.advance(ms);
    return c.json({ now: emu.clock.date().toISOString() });
  });
  admin.all('*', () => {
    throw new AwsError('UnknownOperationException', 'Unknown emulator admin route.');
  });
  return admin;
}
