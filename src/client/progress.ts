// The CLI's progress line: records done/total, rate and ETA, from a runBatch Progress and the time elapsed.
import type { Progress } from './batch.js';
import { isTerminal } from './wait.js';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `[#####.........] 120/500 records (24%)  35.2/s  ETA 11s  jobs 1/3 done, 1 InProgress` */
export function formatProgress(p: Progress, elapsedMs: number, width = 24): string {
  const total = Math.max(p.totalRecords, p.processedRecords);
  const share = total ? p.processedRecords / total : 0;
  const filled = Math.round(share * width);
  const rate = p.processedRecords / Math.max(elapsedMs / 1000, 0.001);
  const eta = p.processedRecords >= total ? 0 : rate > 0 ? (total - p.processedRecords) / rate : Infinity;
  const running = Object.values(p.statuses).filter((s) => !isTerminal(s));
  const states = [...new Set(running)].map((s) => `${running.filter((r) => r === s).length} ${s}`).join(', ');
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.processedRecords}/${total} records (${Math.floor(share * 100)}%)` +
    `  ${rate.toFixed(1)}/s  ETA ${formatDuration(eta)}  jobs ${p.finishedJobs}/${p.jobs} done${states ? `, ${states}` : ''}`
  );
}
