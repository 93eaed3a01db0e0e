// A record without a recordId gets one from Bedrock ("optional, will be added by AWS if omitted", seed 001; the
// seed's examples are 11 alphanumeric characters, e.g. "12345abcdef"). The emulator derives it from the job, the
// file and the line, so a file redone after a restart gives its records the ids they had (README, "Batch input
// validation").
import { describe, expect, it } from 'vitest';
import { generatedRecordId } from '../../src/emulator/jobs/runner.js';

describe('generated recordIds', () => {
  it('are 11 alphanumeric characters, as in the seed examples', () => {
    expect(generatedRecordId('abcdefghijkl', 'in/records.jsonl', 1)).toMatch(/^[A-Za-z0-9]{11}$/);
  });

  it('are the same for the same job, file and line, every time (stable across a restart)', () => {
    const ids = Array.from({ length: 3 }, () => generatedRecordId('abcdefghijkl', 'in/records.jsonl', 7));
    expect(new Set(ids).size).toBe(1);
  });

  it('differ between lines, files and jobs', () => {
    const ids = [
      generatedRecordId('abcdefghijkl', 'in/a.jsonl', 1),
      generatedRecordId('abcdefghijkl', 'in/a.jsonl', 2),
      generatedRecordId('abcdefghijkl', 'in/b.jsonl', 1),
      generatedRecordId('mnopqrstuvwx', 'in/a.jsonl', 1),
    ];
    expect(new Set(ids).size).toBe(4);
  });
});
