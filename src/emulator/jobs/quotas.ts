// Bedrock's batch quotas for one account and region, and AWS's published defaults for them (Service Quotas,
// "Amazon Bedrock" batch inference). The emulator's config starts from these; the client cuts batches by them.
// Imports nothing, so the client (src/client/batch.ts, cli.ts) takes the defaults from here too.

export interface Quotas {
  minRecordsPerJob: number;
  maxRecordsPerFile: number;
  maxRecordsPerJob: number;
  maxInputFileBytes: number;
  maxJobBytes: number;
  maxConcurrentJobsPerModel: number;
}

export const DEFAULT_QUOTAS: Readonly<Quotas> = {
  minRecordsPerJob: 100,
  maxRecordsPerFile: 50_000,
  maxRecordsPerJob: 50_000,
  maxInputFileBytes: 512 * 1024 * 1024,
  maxJobBytes: 5 * 1024 * 1024 * 1024,
  maxConcurrentJobsPerModel: 10,
};
