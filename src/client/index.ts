// The batch client's public API.
export * from './batch.js';
export * from './jsonl.js';
