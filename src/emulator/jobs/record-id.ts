// The recordId AWS gives a batch record that comes without one: 11 alphanumerics. The emulator derives it from the
// job, file and line (stable across a restart, as the README promises); the client derives its own from the batch
// name and index before upload. Imports only node:crypto, so the client takes it from here too.
import { createHash, randomInt } from 'node:crypto';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ID_LENGTH = 11;

/** A recordId that depends on nothing but `seed`. */
export function recordIdFrom(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, ID_LENGTH), (b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

export const randomRecordId = (): string => Array.from({ length: ID_LENGTH }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('');
