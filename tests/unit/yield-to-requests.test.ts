import { describe, expect, it } from 'vitest';
import { startLoop, yieldToRequests } from '@/lib/jobs/worker';

/** Block the event loop for `ms` every few milliseconds, as a queue of requests would. */
function keepBusy(ms: number): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      /* a request's synchronous work */
    }
  }, 1);
  return () => clearInterval(timer);
}

describe('yieldToRequests', () => {
  it('lets a batch go at once when the process is idle', async () => {
    const wait = yieldToRequests({ lagMs: 15, maxWaitMs: 5_000 });
    const started = Date.now();
    await wait();
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('holds background work back while the event loop lags, but never longer than maxWaitMs', async () => {
    const wait = yieldToRequests({ lagMs: 15, maxWaitMs: 600 });
    const stop = keepBusy(40);
    const started = Date.now();
    try {
      await wait();
    } finally {
      stop();
    }
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(2_000);
  });
});

describe('startLoop', () => {
  it('runs again at once while passes find work, then waits for the interval', async () => {
    const found = [5, 5, 1, 0, 0];
    let calls = 0;
    const stop = startLoop('test', async () => ({ tenants: 1, claimed: found[calls++] ?? 0, sent: 0, failed: 0, gaveUp: 0 }), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stop();
    expect(calls).toBe(4); // three passes with work back to back, one that found none, then the 10 s wait
  });
});
