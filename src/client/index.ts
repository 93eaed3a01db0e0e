// The batch client's public API (package export `bedrock-batch-emulator/client`).
export { runBatch, submitBatch, resumeBatch } from './batch.js';
export type { BatchResult, Progress, ResumeOptions, RunBatchOptions, SubmitOptions, SubmittedJob } from './batch.js';
export { defaultClients, type BatchClients } from './clients.js';
export { InputError, newRecordId, parseJsonl, parseOutputLine, toJsonl, withRecordIds } from './jsonl.js';
export type { BatchRecord, RecordError, RecordResult } from './jsonl.js';
export { downloadResults, jobOutputUri, type JobResult, type Totals } from './results.js';
export { splitRecords, type SplitLimits } from './split.js';
export { backoffDelay, isTerminal, TERMINAL_STATUSES, waitForJob, type JobDetails, type WaitOptions } from './wait.js';
export { OpenAIBatchError, runOpenAIBatch, submitOpenAIBatch, waitForOpenAIBatch } from './openai-batch.js';
export type { OpenAIBatch, OpenAIBatchOptions, OpenAIBatchRequest, OpenAIBatchResult } from './openai-batch.js';
