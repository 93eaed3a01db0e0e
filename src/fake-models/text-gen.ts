// Deterministic text: a PRNG seeded from a hash of the model id and the request body picks a run of words from a
// fixed corpus. Same model and body → same text; a different prompt → (almost always) a different text.
import { hash } from 'node:crypto';
import { countTokens, lengthForTokens, tokensForLength } from './tokens.js';

const WORDS = (
  'the model answers with a short deterministic reply about your request and its context data batch inference ' +
  'result value summary positive negative neutral sentiment classify document record example output input test ' +
  'quick brown fox jumps over lazy dog sunshine ocean story poem computing prime numbers function analysis report ' +
  'because therefore however moreover finally first second third yes no maybe clearly simply overall'
).split(' ');

export type Random = () => number;

/** sfc32 over a state of four 32-bit words; small, fast, good enough for fake text and vectors. */
function sfc32(a: number, b: number, c: number, d: number): Random {
  // The state lives in an Int32Array: as closure variables, 32-bit values that overflow V8's small integers were
  // re-boxed on every call.
  const s = new Int32Array([a, b, c, d]);
  return () => {
    const t = (s[0] + s[1] + s[3]) | 0;
    s[3] = s[3] + 1;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = s[2] + (s[2] << 3);
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) + t;
    return (t >>> 0) / 4294967296;
  };
}

// Below this many characters, hashing in JavaScript beats a call into node:crypto (its cost is mostly the call).
const SHORT_TEXT = 4096;
const fmix = (h: number) => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
};

/** A PRNG seeded from the parts (strings as they are, anything else as its JSON, undefined as ''). */
export function seeded(...parts: unknown[]): Random {
  // The JSON of plain data is hashed as it is walked, without building its text (a Converse request's messages
  // cost more to stringify than to hash); anything else, or a text as long as SHORT_TEXT, takes the joined text.
  const lanes = new Lanes();
  for (let p = 0; p < parts.length; p++) {
    if (p) lanes.code(0);
    const part = parts[p];
    if (typeof part === 'string' ? !lanes.text(part) : part !== undefined && !lanes.json(part)) return seededByText(parts);
  }
  return lanes.length < SHORT_TEXT ? lanes.random() : seededByText(parts);
}

function seededByText(parts: unknown[]): Random {
  const texts = parts.map((p) => (typeof p === 'string' ? p : (JSON.stringify(p) ?? ''))); // undefined has no JSON
  const joined = texts.join('\u0000');
  if (joined.length >= SHORT_TEXT) {
    const digest = hash('sha256', joined, 'buffer');
    return sfc32(digest.readInt32LE(0), digest.readInt32LE(4), digest.readInt32LE(8), digest.readInt32LE(12));
  }
  const lanes = new Lanes();
  lanes.text(joined);
  return lanes.random();
}

// What JSON.stringify escapes in a string: '"', '\\', controls and lone surrogates.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Two multiply-xor lanes over UTF-16 code units, each finished with murmur3's mixer, fed a text as JSON.stringify
 * would write it. A feed returns false once the text reaches SHORT_TEXT, or for a value that is not plain data (a
 * Date, bytes, a class instance): the caller then hashes the text itself.
 */
class Lanes {
  h1 = 0x6a09e667;
  h2 = 0xbb67ae85;
  length = 0;

  /** The PRNG seeded from the text fed so far. */
  random(): Random {
    const a = fmix(this.h1 ^ this.length);
    const b = fmix(this.h2 ^ a);
    return sfc32(a, b, fmix(a ^ 0x3c6ef372), fmix(b ^ 0xa54ff53a));
  }

  code(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995);
    this.length++;
  }

  text(t: string): boolean {
    if ((this.length += t.length) >= SHORT_TEXT) return false;
    let { h1, h2 } = this;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    this.h1 = h1;
    this.h2 = h2;
    return true;
  }

  string(s: string): boolean {
    if (ESCAPED.test(s)) return this.text(JSON.stringify(s));
    this.code(0x22);
    if (!this.text(s)) return false;
    this.code(0x22);
    return true;
  }

  json(v: unknown): boolean {
    if (this.length >= SHORT_TEXT) return false; // also ends the walk of a cyclic value, which JSON.stringify refuses
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'number':
        return this.text(Number.isFinite(v) ? String(v) : 'null');
      case 'boolean':
        return this.text(v ? 'true' : 'false');
      case 'object':
        break;
      default:
        return false; // undefined, functions and symbols have no JSON of their own, bigints none at all
    }
    if (v === null) return this.text('null');
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
    if (Array.isArray(v)) {
      this.code(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i) this.code(0x2c);
        const item: unknown = v[i];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol' ? !this.text('null') : !this.json(item)) return false;
      }
      this.code(0x5d);
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    this.code(0x7b);
    let first = true;
    for (const key of Object.keys(v)) {
      const value: unknown = (v as Record<string, unknown>)[key];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (!first) this.code(0x2c);
      first = false;
      if (!this.string(key)) return false;
      this.code(0x3a);
      if (!this.json(value)) return false;
    }
    this.code(0x7d);
    return true;
  }
}

// The corpus: words drawn once from WORDS by a fixed seed. A generated text is a run of consecutive corpus words,
// cut from one string: two random draws per text instead of one per word.
const CORPUS_STARTS = 4096;
const MAX_NATURAL_WORDS = 60;
const { corpus, starts, ends } = (() => {
  const rand = sfc32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344);
  const count = CORPUS_STARTS + MAX_NATURAL_WORDS;
  const words = Array.from({ length: count }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let at = 0;
  words.forEach((w, i) => {
    starts[i] = at;
    ends[i] = at + w.length;
    at += w.length + 1;
  });
  return { corpus: words.join(' '), starts, ends };
})();

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

/** Generates up to maxTokens tokens (natural length 20–60 words), cut at the first stop sequence that occurs. */
export function generate(rand: Random, maxTokens: number, stopSequences: string[] = []): Generated {
  let { text, reason } = scripted === undefined ? corpusRun(rand, maxTokens) : scriptedRun(scripted, maxTokens);
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

/** Corpus text even while a script answers: for what a model writes besides its answer (gpt-oss's reasoning). */
export function unscripted(rand: Random, maxTokens: number): Generated {
  const { text, reason } = corpusRun(rand, maxTokens);
  return { text, tokens: countTokens(text), reason };
}

/** A few corpus words of at most `maxChars` characters, without the full stop ('' when none fits); never scripted. */
export function phrase(rand: Random, maxChars: number): string {
  return corpusRun(rand, Math.floor(maxChars / 4)).text.replace(/\.$/, '');
}

/** 20–60 corpus words from a random start, capitalized, with a full stop; fewer when maxTokens runs out. */
function corpusRun(rand: Random, maxTokens: number): Pick<Generated, 'text' | 'reason'> {
  const natural = 20 + Math.floor(rand() * (MAX_NATURAL_WORDS - 19));
  const first = Math.floor(rand() * CORPUS_STARTS);
  const room = lengthForTokens(maxTokens);
  const from = starts[first];
  let n = 0;
  while (n < natural && ends[first + n] - from <= room) n++;
  if (!n) return { text: '', reason: 'length' };
  const end = ends[first + n - 1];
  const text = corpus[from].toUpperCase() + corpus.slice(from + 1, end);
  if (n < natural) return { text, reason: 'length' };
  return { text: end - from + 1 <= room ? text + '.' : text, reason: 'end' };
}

/** A scripted response's words, as many as maxTokens allows. A word after empty text replaces it (no separator). */
function scriptedRun(script: string, maxTokens: number): Pick<Generated, 'text' | 'reason'> {
  let kept: string[] = [];
  let length = 0;
  for (const word of script.split(' ')) {
    const next = length ? length + 1 + word.length : word.length;
    if (tokensForLength(next) > maxTokens) return { text: kept.join(' '), reason: 'length' };
    if (!length) kept = [];
    kept.push(word);
    length = next;
  }
  return { text: kept.join(' '), reason: 'end' };
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
