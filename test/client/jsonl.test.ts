import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, newRecordId, parseJsonl, parseOutputLine, toJsonl, withRecordIds } from '../../src/client/index.js';
import { lines, recordIdFor } from '../../src/client/jsonl.js';

const record = fc.record(
  { recordId: fc.string({ minLength: 1, maxLength: 20 }), modelInput: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })) },
  { requiredKeys: ['modelInput'] },
);

describe('toJsonl / parseJsonl', () => {
  it('round-trip any records, one line each', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), (records) => {
        const text = toJsonl(records);
        expect(text.split('\n')).toHaveLength(records.length + 1);
        expect(parseJsonl(text)).toEqual(JSON.parse(JSON.stringify(records)));
      }),
    );
  });

  it('write recordId before modelInput and nothing else', () => {
    expect(toJsonl([{ modelInput: { a: 1 }, recordId: 'r1', extra: true } as never, { modelInput: {} }])).toBe('{"recordId":"r1","modelInput":{"a":1}}\n{"modelInput":{}}\n');
  });

  it('name the file and line of a bad line, with the form a line must have', () => {
    const bad = (text: string) => {
      try {
        parseJsonl(text, 'in.jsonl');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{"modelInput": {}}\n\n{oops\n')).toMatch(/^in\.jsonl:3: not valid JSON \(.+\)\. Each line must be a JSON object \{"recordId"/);
    expect(bad('{"modelInput": {}}\n{"recordId": "x"}')).toMatch(/^in\.jsonl:2: missing the "modelInput" object/);
    expect(bad('{"modelInput": []}')).toMatch(/^in\.jsonl:1: missing the "modelInput" object/);
    expect(bad('[1]')).toMatch(/^in\.jsonl:1: not a JSON object/);
    expect(bad('{"recordId": 7, "modelInput": {}}')).toMatch(/^in\.jsonl:1: "recordId" must be a string/);
  });

  it('accept CRLF line ends and blank lines', () => {
    expect(parseJsonl('{"modelInput":{"a":1}}\r\n\r\n{"recordId":"b","modelInput":{}}\r\n')).toEqual([{ modelInput: { a: 1 } }, { recordId: 'b', modelInput: {} }]);
  });
});

describe('recordIds', () => {
  it('are 11 alphanumerics where missing, kept where given', () => {
    const out = withRecordIds([{ modelInput: {} }, { recordId: 'mine', modelInput: {} }, { modelInput: {} }]);
    expect(out[0].recordId).toMatch(/^[a-zA-Z0-9]{11}$/);
    expect(out[1].recordId).toBe('mine');
    expect(out[0].recordId).not.toBe(out[2].recordId);
    expect(new Set(Array.from({ length: 1000 }, newRecordId)).size).toBe(1000);
  });

  it('can derive from a batch name and index, for runs that must send the same bytes again', () => {
    const ids = withRecordIds([{ modelInput: {} }, { modelInput: {} }], (i) => recordIdFor('my-batch', i)).map((r) => r.recordId);
    expect(ids).toEqual([recordIdFor('my-batch', 0), recordIdFor('my-batch', 1)]);
    expect(ids[0]).toMatch(/^[a-zA-Z0-9]{11}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(recordIdFor('other-batch', 0)).not.toBe(ids[0]);
  });

  it('must be unique, since results are joined by them', () => {
    expect(() => withRecordIds([{ recordId: 'a', modelInput: {} }, { recordId: 'a', modelInput: {} }])).toThrow(/Record 2: recordId 'a' is used twice/);
  });
});

describe('parseOutputLine', () => {
  it('reads output and error lines as AWS writes them', () => {
    expect(parseOutputLine('{"recordId":"a","modelInput":{"x":1},"modelOutput":{"y":2}}')).toEqual({ recordId: 'a', modelInput: { x: 1 }, output: { y: 2 } });
    expect(parseOutputLine('{"recordId":"b","modelInput":{},"error":{"errorCode":400,"errorMessage":"m"}}')).toEqual({
      recordId: 'b',
      modelInput: {},
      error: { errorCode: 400, errorMessage: 'm' },
    });
  });

  it('refuses what is not an output line, quoting it', () => {
    expect(() => parseOutputLine('{"modelOutput":{}}')).toThrow(/no recordId/);
    expect(() => parseOutputLine('garbage')).toThrow(/Not a batch output line .*garbage/);
  });
});

describe('lines', () => {
  it('splits a byte stream into lines however it is chunked, multi-byte characters included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !s.includes('\n') && s.trim() !== ''), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 5 }), async (rows, cuts) => {
        const bytes = new TextEncoder().encode(rows.join('\n') + '\n');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, bytes.length].slice(1).map((end, i, ends) => bytes.slice(i ? ends[i - 1] : 0, end));
        const out: string[] = [];
        for await (const l of lines((async function* () { yield* chunks; })())) out.push(l);
        expect(out).toEqual(rows);
      }),
    );
  });
});
