/**
 * Next.js calls register() once per server instance (`next start`, `next dev`). Under the Node runtime it
 * starts the outbox loop: the embedded job worker, or the relay when Inngest is configured (lib/jobs/background.ts).
 * No shutdown hook is needed: a pass cut short by exit rolls back, and its rows are claimed again later.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    if (process.env.NEXT_PHASE === 'phase-production-build') return;
    const { startBackgroundWork } = await import('./lib/jobs/background');
    const { inngest } = await import('./inngest/client');
    startBackgroundWork(() => (events) => inngest().send(events));
  }
}
