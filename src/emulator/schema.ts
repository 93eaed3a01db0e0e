// Input the emulator takes outside AWS's API (its configuration from flags, environment, file and
// POST /_emulator/config; the /_emulator/ admin routes) is checked against zod schemas, and refused as AWS refuses
// bad input: 400 ValidationException, the message naming each offending field. zod's messages name the expected
// type or bound, never the value given, so a secret sent in the wrong place is not echoed back.
import type { z } from 'zod';
import { AwsError } from './errors.js';

/** The value as the schema outputs it, or a ValidationException `<what>: <field>: <problem>; …`. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new AwsError('ValidationException', `${what}: ${problems.join('; ')}`);
}
