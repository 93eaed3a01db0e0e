// The emulator clock fires a timer even when its timeout wakes before Date.now() says the timer is due (timeouts
// may fire early against the wall clock); such a timer used to be left unarmed, which stalled paced jobs after a
// restart. And the harness's settle() waits for timers already due, not only for work in flight.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../src/emulator/clock.js';

afterEach(() => vi.restoreAllMocks());

describe('Clock', () => {
  it('re-arms a timer whose timeout woke before it was due', () => {
    // Node's timers are faked (vitest moves them); Date.now is the wall clock read short by `skew`.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const start = 1_000_000;
      let skew = 0;
      let wall = start;
      vi.spyOn(Date, 'now').mockImplementation(() => wall - skew);
      const clock = new Clock();
      let fired = false;
      clock.at(start + 20, () => (fired = true));
      skew = 40; // when the 20 ms timeout wakes, the wall clock reads short: the timer is not due yet
      wall += 20;
      vi.advanceTimersByTime(20);
      expect(fired).toBe(false);
      skew = 0; // the wall clock catches up: the re-armed timeout fires it
      wall += 40;
      vi.advanceTimersByTime(40);
      expect(fired).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('settle', () => {
  it('waits for the state timers that come due at once with instant timing (it used to return at Validating)', async () => {
    const { startEmulator } = await import('../../src/emulator/harness.js');
    const { CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { CreateModelInvocationJobCommand, GetModelInvocationJobCommand } = await import('@aws-sdk/client-bedrock');
    const emulator = await startEmulator({ quotas: { minRecordsPerJob: 1 } });
    try {
      const { s3, bedrock } = emulator.clients;
      await s3.send(new CreateBucketCommand({ Bucket: 'settle' }));
      await s3.send(new PutObjectCommand({ Bucket: 'settle', Key: 'in/a.jsonl', Body: `${JSON.stringify({ recordId: 'r', modelInput: { inputText: 'x' } })}\n` }));
      for (let i = 0; i < 8; i++) {
        const { jobArn } = await bedrock.send(new CreateModelInvocationJobCommand({
          jobName: `settle-${i}`, roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole', modelId: 'amazon.titan-embed-text-v1',
          inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://settle/in/' } }, outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://settle/out/' } },
        }));
        await emulator.settle();
        expect((await bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status, `job ${i}`).toBe('Completed');
      }
    } finally {
      await emulator.stop();
    }
  });
});
