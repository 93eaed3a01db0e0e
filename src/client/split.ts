// How a batch is cut into jobs and files so that each stays within Bedrock's batch quotas: records per file and
// per job, bytes per file and per job, and the minimum records per job.
import { InputError } from './jsonl.js';

export interface SplitLimits {
  maxRecordsPerFile: number;
  maxRecordsPerJob: number;
  minRecordsPerJob: number;
  /** Bytes per input file (Bedrock: "Batch inference input file size"). */
  maxBytesPerFile?: number;
  /** Bytes per job (Bedrock: "Batch inference job size"). */
  maxBytesPerJob?: number;
}

/**
 * Jobs of files of items, in input order. Jobs are as even as possible (so none falls under the minimum when the
 * total allows it), and as few as the quotas permit; files fill up to their limits. `sizeOf` gives an item's
 * bytes in the file (its JSONL line), needed only with byte limits.
 */
export function splitRecords<T>(items: readonly T[], limits: SplitLimits, sizeOf: (item: T) => number = () => 0): T[][][] {
  const n = items.length;
  const { minRecordsPerJob: min, maxRecordsPerJob, maxRecordsPerFile } = limits;
  const fileBytes = limits.maxBytesPerFile ?? Infinity;
  const jobBytes = limits.maxBytesPerJob ?? Infinity;
  if (n === 0) throw new InputError('The batch has no records.');
  if (n < min) {
    throw new InputError(`A batch job needs at least ${min} records (Bedrock's "Minimum number of records per batch inference job" quota); got ${n}.`);
  }
  const sizes = items.map(sizeOf);
  sizes.forEach((s, i) => {
    if (s > Math.min(fileBytes, jobBytes)) throw new InputError(`Record ${i + 1} is ${s} bytes, more than an input file may hold (${Math.min(fileBytes, jobBytes)}).`);
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  // Beyond this many jobs, one would hold fewer records than the minimum.
  const maxJobs = min > 0 ? Math.floor(n / min) : n;
  for (let jobs = Math.max(Math.ceil(n / maxRecordsPerJob), Math.ceil(total / jobBytes), 1); jobs <= maxJobs; jobs++) {
    const bounds = evenBounds(n, jobs);
    if (bounds.every(([a, b]) => sum(sizes, a, b) <= jobBytes)) return bounds.map(([a, b]) => files(items, sizes, a, b, maxRecordsPerFile, fileBytes));
  }
  throw new InputError(
    `The batch can't be cut into jobs of ${min} to ${maxRecordsPerJob} records within ${jobBytes} bytes each; make the records smaller or the batch larger.`,
  );
}

function evenBounds(n: number, jobs: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let j = 0; j < jobs; j++) {
    const size = Math.floor(n / jobs) + (j < n % jobs ? 1 : 0);
    out.push([start, (start += size)]);
  }
  return out;
}

function files<T>(items: readonly T[], sizes: number[], from: number, to: number, maxRecords: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (let i = from; i < to; i++) {
    if (current.length && (current.length >= maxRecords || bytes + sizes[i] > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(items[i]);
    bytes += sizes[i];
  }
  if (current.length) out.push(current);
  return out;
}

const sum = (xs: number[], from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s;
};
