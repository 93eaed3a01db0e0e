// Deterministic text: a PRNG seeded from a hash of the model id and the request body picks words from a fixed
// list. Same model and body → same text; a different prompt → a different text.
import { hash } from 'node:crypto';
import { countTokens, tokensForLength } from './tokens.js';

const WORDS = (
  'the model answers with a short deterministic reply about your request and its context data batch inference ' +
  'result value summary positive negative neutral sentiment classify document record example output input test ' +
  'quick brown fox jumps over lazy dog sunshine ocean story poem computing prime numbers function analysis report ' +
  'because therefore however moreover finally first second third yes no maybe clearly simply overall'
).split(' ');

export type Random = () => number;

export function seeded(...parts: unknown[]): Random {
  const digest = hash('sha256', parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\u0000'), 'buffer');
  // sfc32: small, fast, good enough for fake text and vectors. The state [a, b, c, d] lives in an Int32Array: as
  // closure variables, 32-bit values that overflow V8's small integers were re-boxed on every call.
  const s = new Int32Array([digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)]);
  return () => {
    const t = (s[0] + s[1] + s[3]) | 0;
    s[3] = s[3] + 1;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = s[2] + (s[2] << 3);
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) + t;
    return (t >>> 0) / 4294967296;
  };
}

export interface Generated {
  text: string;
  tokens: number;
  /** Why generation ended: the natural end, the token limit, or a stop sequence. */
  reason: 'end' | 'length' | 'stop';
  stopSequence?: string;
}

let scripted: string | undefined;

/**
 * Runs fn with every generate() call answering `text` (a scripted response) instead of random words, still
 * subject to token limits and stop sequences. Family code is synchronous, so a module-level slot is safe.
 */
export function withScriptedText<T>(text: string | undefined, fn: () => T): T {
  scripted = text;
  try {
    return fn();
  } finally {
    scripted = undefined;
  }
}

/** Generates up to maxTokens tokens (natural length 20–60), cut at the first stop sequence that occurs. */
export function generate(rand: Random, maxTokens: number, stopSequences: string[] = []): Generated {
  const words = scripted?.split(' ');
  const natural = words ? words.length : 20 + Math.floor(rand() * 41);
  // The words are joined once at the end (a flat string, cheap to serialize); `length` is the joined length so far.
  // A word after empty text replaces it, with no separator.
  let kept: string[] = [];
  let length = 0;
  let reason: Generated['reason'] = 'end';
  for (let i = 0; i < natural; i++) {
    let word = words ? words[i] : WORDS[Math.floor(rand() * WORDS.length)];
    if (i === 0 && !words) word = word[0].toUpperCase() + word.slice(1);
    const next = length ? length + 1 + word.length : word.length;
    if (tokensForLength(next) > maxTokens) {
      reason = 'length';
      break;
    }
    if (!length) kept = [];
    kept.push(word);
    length = next;
  }
  let text = kept.join(' ');
  if (reason === 'end' && text && !words && tokensForLength(length + 1) <= maxTokens) text += '.';
  let stopSequence: string | undefined;
  let cut = -1;
  for (const s of stopSequences) {
    const at = s ? text.indexOf(s) : -1;
    if (at >= 0 && (cut < 0 || at < cut)) [cut, stopSequence] = [at, s];
  }
  if (stopSequence !== undefined) {
    text = text.slice(0, cut);
    reason = 'stop';
  }
  return { text, tokens: countTokens(text), reason, stopSequence };
}

/** A deterministic vector of `dims` floats; unit length when normalize. */
export function vector(rand: Random, dims: number, normalize: boolean): number[] {
  const v = Array.from({ length: dims }, () => rand() * 2 - 1);
  const norm = Math.hypot(...v) || 1;
  return normalize ? v.map((x) => x / norm) : v.map((x) => x * 0.5);
}

/** Splits text into stream deltas of a few words each (the first keeps leading text, later ones a leading space). */
export function chunks(text: string, wordsPerChunk = 3): string[] {
  const words = text.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) out.push((i ? ' ' : '') + words.slice(i, i + wordsPerChunk).join(' '));
  return text ? out : [''];
}

function randomId(rand: Random, length: number, alphabet: string): string {
  const codes: number[] = [];
  for (let i = 0; i < length; i++) codes.push(alphabet.charCodeAt(Math.floor(rand() * alphabet.length)));
  return String.fromCharCode(...codes);
}
export const hexId = (rand: Random, length: number) => randomId(rand, length, '0123456789abcdef');
export const alnumId = (rand: Random, length: number) => randomId(rand, length, 'abcdefghijklmnopqrstuvwxyz0123456789');
