import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, splitRecords } from '../../src/client/index.js';

describe('splitRecords', () => {
  it('keeps order and every quota, with as few jobs as the quotas allow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        (n, maxRecordsPerJob, maxRecordsPerFile, min) => {
          const items = Array.from({ length: n }, (_, i) => i);
          const limits = { maxRecordsPerJob, maxRecordsPerFile, minRecordsPerJob: Math.min(min, maxRecordsPerJob) };
          let jobs: number[][][];
          try {
            jobs = splitRecords(items, limits);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            // Only when no cut exists: too few records, or the even cut leaves a job under the minimum.
            expect(n < limits.minRecordsPerJob || Math.floor(n / Math.ceil(n / maxRecordsPerJob)) < limits.minRecordsPerJob).toBe(true);
            return;
          }
          expect(jobs.flat(2)).toEqual(items);
          expect(jobs).toHaveLength(Math.ceil(n / maxRecordsPerJob));
          for (const job of jobs) {
            const count = job.flat().length;
            expect(count).toBeLessThanOrEqual(maxRecordsPerJob);
            expect(count).toBeGreaterThanOrEqual(limits.minRecordsPerJob);
            expect(job.every((f) => f.length >= 1 && f.length <= maxRecordsPerFile)).toBe(true);
            expect(job.length).toBe(Math.ceil(count / maxRecordsPerFile));
          }
        },
      ),
    );
  });

  it('cuts by bytes per file and per job too', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 50, max: 200 }), fc.integer({ min: 200, max: 1000 }), (sizes, fileBytes, jobBytes) => {
        const items = sizes.map((size, i) => ({ i, size }));
        const jobs = splitRecords(items, { maxRecordsPerJob: 1000, maxRecordsPerFile: 1000, minRecordsPerJob: 0, maxBytesPerFile: fileBytes, maxBytesPerJob: jobBytes }, (x) => x.size);
        expect(jobs.flat(2).map((x) => x.i)).toEqual(items.map((x) => x.i));
        const bytes = (xs: { size: number }[]) => xs.reduce((a, x) => a + x.size, 0);
        for (const job of jobs) {
          expect(bytes(job.flat())).toBeLessThanOrEqual(jobBytes);
          for (const file of job) expect(bytes(file)).toBeLessThanOrEqual(fileBytes);
        }
      }),
    );
  });

  it('spreads records evenly so that no job falls under the minimum', () => {
    const jobs = splitRecords(Array.from({ length: 25 }, (_, i) => i), { maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 5 });
    expect(jobs.map((files) => files.flat().length)).toEqual([9, 8, 8]);
    expect(jobs[0].map((f) => f.length)).toEqual([4, 4, 1]);
  });

  it('says why it cannot cut', () => {
    const limits = { maxRecordsPerJob: 10, maxRecordsPerFile: 4, minRecordsPerJob: 100 };
    expect(() => splitRecords([1, 2], limits)).toThrow(/at least 100 records .*got 2/);
    expect(() => splitRecords([], limits)).toThrow(/no records/);
    expect(() => splitRecords(['x'], { ...limits, minRecordsPerJob: 1, maxBytesPerFile: 3 }, () => 10)).toThrow(/Record 1 is 10 bytes/);
    expect(() => splitRecords(Array(11).fill(0), { maxRecordsPerJob: 10, maxRecordsPerFile: 10, minRecordsPerJob: 6 })).toThrow(/can't be cut into jobs of 6 to 10 records/);
  });
});
