// The fake text generator every text family shares: deterministic per seed, within the token limit, natural
// length 20–60 words, cut at stop sequences; scripted text replaces the words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate, seeded, withScriptedText } from '../../src/fake-models/text-gen.js';
import { countTokens } from '../../src/fake-models/tokens.js';

const prompt = fc.string({ maxLength: 200 });
const parts = fc.array(fc.oneof(prompt, fc.jsonValue()), { minLength: 1, maxLength: 3 });

describe('seeded', () => {
  it('gives the same sequence for the same parts, short or long (node:crypto past 4 KB)', () => {
    fc.assert(
      fc.property(parts, fc.boolean(), (p, long) => {
        const input = long ? [...p, 'x'.repeat(5000)] : p;
        const a = seeded(...input);
        const b = seeded(...structuredClone(input));
        for (let i = 0; i < 8; i++) expect(a()).toBe(b());
      }),
    );
  });

  it('seeds a part that is not a string from its JSON text, and undefined as an empty one', () => {
    // Its contract: "strings as they are, anything else as its JSON, undefined as ''". Values of every kind: plain
    // data, texts JSON escapes, dates, bytes, maps, boxed values, null prototypes, sparse arrays, beside or past 4 KB.
    const value = fc.oneof(
      fc.anything({ withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true, maxDepth: 4 }),
      fc.jsonValue(),
      fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text })),
      fc.string({ minLength: 4000, maxLength: 4200 }).map((text) => [text]),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(prompt, value, fc.constant(undefined)), { minLength: 1, maxLength: 6 }), (p) => {
        const asText = p.map((part) => (typeof part === 'string' ? part : (JSON.stringify(part) ?? '')));
        const a = seeded(...p);
        const b = seeded(...asText);
        for (let i = 0; i < 4; i++) expect(a()).toBe(b());
      }),
    );
    expect(seeded({ a: -0, b: [undefined, NaN], c: undefined })()).toBe(seeded('{"a":0,"b":[null,null]}')());
    expect(seeded(['"quoted"\n\ud800'])()).toBe(seeded('["\\"quoted\\"\\n\\ud800"]')());
  });

  it('draws numbers in [0, 1) and tells apart prompts and part boundaries', () => {
    const firsts = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = seeded('model', `prompt ${i}`)();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      firsts.add(x);
    }
    expect(firsts.size).toBe(2000);
    expect(seeded('ab', 'c')()).not.toBe(seeded('a', 'bc')());
  });
});

describe('generate', () => {
  it('stays within maxTokens, says why it ended, and ends a natural answer with a full stop', () => {
    fc.assert(
      fc.property(prompt, fc.integer({ min: 0, max: 400 }), (p, maxTokens) => {
        const g = generate(seeded('m', p), maxTokens);
        expect(g.tokens).toBe(countTokens(g.text));
        expect(g.tokens).toBeLessThanOrEqual(maxTokens);
        const words = g.text ? g.text.split(' ').length : 0;
        if (g.reason === 'end') {
          expect(words).toBeGreaterThanOrEqual(20);
          expect(words).toBeLessThanOrEqual(60);
          // The full stop only when it still fits.
          if (countTokens(g.text.replace(/\.$/, '') + '.') <= maxTokens) expect(g.text).toMatch(/^[A-Z][a-z]*( [a-z]+)*\.$/);
        } else {
          expect(g.reason).toBe('length');
          expect(words).toBeLessThan(60);
          // One more word would not have fitted: the text only stops short when the limit is near.
          expect(g.tokens).toBeGreaterThan(maxTokens - 4);
        }
        expect(generate(seeded('m', p), maxTokens)).toEqual(g);
      }),
    );
  });

  it('answers different prompts with different texts', () => {
    const texts = new Set(Array.from({ length: 500 }, (_, i) => generate(seeded('m', `p${i}`), 1000).text));
    expect(texts.size).toBeGreaterThan(495);
  });

  it('cuts at the earliest stop sequence that occurs', () => {
    const full = generate(seeded('m', 'stop'), 1000).text;
    const words = full.split(' ');
    const stop = ` ${words[5]} `;
    const g = generate(seeded('m', 'stop'), 1000, ['not-in-the-text', ` ${words[9]} `, stop]);
    expect(g.reason).toBe('stop');
    expect(g.stopSequence).toBe(stop);
    expect(g.text).toBe(full.slice(0, full.indexOf(stop)));
  });

  it('answers scripted text word for word, cut at the token limit', () => {
    const text = 'one two three four five six';
    expect(withScriptedText(text, () => generate(seeded('m'), 100))).toMatchObject({ text, reason: 'end' });
    expect(withScriptedText(text, () => generate(seeded('m'), 4))).toMatchObject({ text: 'one two three', reason: 'length' });
    expect(withScriptedText('', () => generate(seeded('m'), 0))).toMatchObject({ text: '', reason: 'end' });
  });
});
