// Everything that is not AWS's API: health, configuration, the clock. Mounted at /_emulator. Bodies are checked
// against the schemas below (admin-input.ts), and only JSON from the emulator's own origin is taken.
import { Hono } from 'hono';
import { z } from 'zod';
import { adminGuard, jsonInput } from './admin-input.js';
export type { AdminBindings } from './admin-input.js';
import { MAX_CLOCK_TIME } from './clock.js';
import type { Config } from './config.js';
import type { Emulator } from './emulator.js';
import { AwsError, ERROR_STATUS, type AwsErrorType } from './errors.js';
import { jobAdminRoutes } from './jobs/admin.js';

/**
 * Options read once at start: addresses, ports and files (the data dir, the scripts file, an external S3), and
 * what the listening ports apply (allowed names and origins, timeouts, the connection cap). A running emulator
 * refuses to change them, so a request cannot point it at other files or another endpoint, or open it up
 * (posting back the current value is accepted, so GET's answer can be sent back with changes).
 */
const START_ONLY = ['host', 'port', 's3Port', 's3Endpoint', 'dataDir', 'scriptsFile', 'catalog', 'allowedHosts', 'allowedOrigins', 'headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections'] as const;

/** As parsed: a record schema would assign a `__proto__` member, setting the object's prototype instead. */
const CONFIG_PATCH = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'the configuration must be a JSON object');

/** What routes show of a secret: enough to tell it is set, nothing of it. */
export const REDACTED = '****';

const ERROR_TYPES = Object.keys(ERROR_STATUS) as [AwsErrorType, ...AwsErrorType[]];
const errorType = z.enum(ERROR_TYPES);
/** A "/regex/flags" string must compile: scripts turn it into a RegExp. */
const pattern = z.string().min(1).refine((p) => {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  if (!m) return true;
  try {
    new RegExp(m[1], m[2]);
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

export const SCRIPT = z.strictObject({
  modelId: pattern.optional(),
  match: pattern.optional(),
  response: z
    .strictObject({
      text: z.string().min(1).optional(),
      body: z.record(z.string(), z.unknown()).optional(),
      error: z.strictObject({ type: errorType, message: z.string().optional() }).optional(),
    })
    .refine((r) => r.text !== undefined || r.body !== undefined || r.error !== undefined, 'needs text, body or error'),
});
const SCRIPTS = z.union([SCRIPT, z.array(SCRIPT)]);

const FAULT = z.strictObject({
  modelId: z.string().min(1).default('*'),
  errorType,
  rate: z.number().min(0).max(1),
  // Each faulted call waits this long (a real timer): at most 10 minutes.
  latencyMs: z.int().min(0).max(600_000).optional(),
  message: z.string().optional(),
});

/** The clock may run to the end of year 9999, so every time it shows stays a valid ISO-8601 date. */
const advance = (maxMs: number) =>
  z
    .strictObject({ advanceMs: z.number().min(0).max(maxMs).optional(), advanceSeconds: z.number().min(0).max(maxMs / 1000).optional() })
    .refine((b) => (b.advanceMs === undefined) !== (b.advanceSeconds === undefined), 'give either advanceMs or advanceSeconds');

/** The configuration as routes show it: access key ids, never secret keys or API keys. */
function redacted(config: Config): Config {
  return { ...config, credentials: config.credentials.map((c) => ({ ...c, secretAccessKey: REDACTED, ...(c.apiKey !== undefined && { apiKey: REDACTED }) })) };
}

/**
 * GET's answer may be posted back: a credential whose secret (or API key) is still the redaction gets the one
 * configured for the same access key id, or is refused.
 */
function unredacted(patch: Record<string, unknown>, current: Config): Record<string, unknown> {
  if (!Array.isArray(patch.credentials)) return patch;
  const credentials = patch.credentials.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const c = { ...(entry as Record<string, unknown>) };
    const known = current.credentials.find((k) => k.accessKeyId === c.accessKeyId);
    for (const secret of ['secretAccessKey', 'apiKey'] as const) {
      if (c[secret] !== REDACTED) continue;
      if (!known?.[secret]) throw new AwsError('ValidationException', `Invalid configuration: credentials.${i}.${secret}: give the key itself (${REDACTED} stands for one configured for this access key id)`);
      c[secret] = known[secret];
    }
    return c;
  });
  return { ...patch, credentials };
}

export function adminRoutes(emu: Emulator): Hono {
  const admin = new Hono();
  admin.use('*', adminGuard(emu));
  admin.get('/health', (c) => c.json({ status: 'ok', s3Endpoint: emu.s3Endpoint, time: emu.clock.date().toISOString(), bufferedBodyBytes: emu.bodyBudget.buffered }));
  admin.get('/config', (c) => c.json(redacted(emu.config.get())));
  admin.post('/config', async (c) => {
    const current = emu.config.get();
    const patch = unredacted(await jsonInput(c, emu, CONFIG_PATCH, 'Invalid configuration'), current);
    const fixed = START_ONLY.filter((k) => k in patch && JSON.stringify(patch[k]) !== JSON.stringify(current[k]));
    if (fixed.length) {
      throw new AwsError('ValidationException', `Invalid configuration: ${fixed.join(', ')} can only be set when the emulator starts (flag, environment variable or config file).`);
    }
    return c.json(redacted(emu.config.update(patch)));
  });
  admin.get('/clock', (c) => c.json({ now: emu.clock.date().toISOString() }));
  // {"advanceMs": 60000} or {"advanceSeconds": 60}: fires every timer that became due, in order.
  admin.post('/clock/advance', async (c) => {
    const body = await jsonInput(c, emu, advance(MAX_CLOCK_TIME - emu.clock.now()), 'Invalid clock advance');
    emu.clock.advance(body.advanceMs ?? body.advanceSeconds! * 1000);
    return c.json({ now: emu.clock.date().toISOString() });
  });
  // Scripted responses: one script or an array (see src/fake-models/scripted.ts); DELETE clears them.
  admin.post('/scripts', async (c) => {
    const body = await jsonInput(c, emu, SCRIPTS, 'Invalid script');
    for (const script of Array.isArray(body) ? body : [body]) emu.scripts.registerScript(script);
    return c.json({ ok: true });
  });
  admin.delete('/scripts', (c) => (emu.scripts.clearScripts(), c.json({ ok: true })));
  // Fault injection: {"modelId": "anthropic.claude-3-haiku-20240307-v1:0" | "*", "errorType", "rate", "latencyMs"}.
  admin.post('/faults', async (c) => {
    const { modelId, ...fault } = await jsonInput(c, emu, FAULT, 'Invalid fault');
    emu.scripts.setFaults(modelId, fault);
    return c.json({ ok: true });
  });
  admin.delete('/faults', (c) => (emu.scripts.clearFaults(), c.json({ ok: true })));
  admin.route('/jobs', jobAdminRoutes(emu));
  admin.all('*', () => {
    throw new AwsError('UnknownOperationException', 'Unknown emulator admin route.');
  });
  return admin;
}
