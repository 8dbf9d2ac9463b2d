import { z } from 'zod';
import { processOutbox, type Delivery, type PassResult } from './outbox-loop';
import type { JobEvent } from './registry';
import { errorText } from './run';
import { startLoop, type Stop } from './worker';

/** What an outbox row becomes on the wire: Inngest dedupes on `id`, the outbox id. */
export type RelayedEvent = { id: string; name: string; data: RelayedEventData; ts: number };

export const RelayedEventData = z.object({
  tenantId: z.uuid(),
  outboxId: z.uuid(),
  payload: z.record(z.string(), z.unknown()),
});
export type RelayedEventData = z.infer<typeof RelayedEventData>;

/** Sends events to Inngest (inngest.send in production; a fake in tests). Throws when they were not accepted. */
export type SendEvents = (events: RelayedEvent[]) => Promise<unknown>;

/** A relay outage must not drop events: keep trying (capped backoff, an hour apart) for about two days. */
export const RELAY_MAX_ATTEMPTS = 60;

export function toRelayedEvent(tenantId: string, e: JobEvent): RelayedEvent {
  return { id: e.id, name: e.name, data: { tenantId, outboxId: e.id, payload: e.payload }, ts: e.createdAt.getTime() };
}

/** The JobEvent a relayed event stands for, as an Inngest function receives it. */
export function fromRelayedEvent(name: string, data: unknown, ts: number | undefined): { tenantId: string; event: JobEvent } {
  const d = RelayedEventData.parse(data);
  return { tenantId: d.tenantId, event: { id: d.outboxId, name: name as JobEvent['name'], payload: d.payload, createdAt: new Date(ts ?? Date.now()) } };
}

/**
 * One relay pass: each tenant's due rows go to Inngest in one send per batch and are marked sent; if the
 * send fails, the batch is rescheduled with backoff. Redelivery after a crash between send and commit is
 * harmless: Inngest dedupes on the event id, and the jobs dedupe on it again in job_runs.
 */
export function relayOnce(send: SendEvents, opts: { batchSize?: number } = {}): Promise<PassResult> {
  return processOutbox(
    async (_tx, tenantId, events) => {
      let outcome: Delivery = { ok: true };
      try {
        await send(events.map((e) => toRelayedEvent(tenantId, e)));
      } catch (e) {
        outcome = { ok: false, error: `relay to Inngest failed: ${errorText(e)}`, maxAttempts: RELAY_MAX_ATTEMPTS };
      }
      return new Map(events.map((e) => [e.id, outcome]));
    },
    { batchSize: opts.batchSize },
  );
}

export function startRelay(send: SendEvents, opts: { intervalMs?: number } = {}): Stop {
  return startLoop('inngest-relay', () => relayOnce(send), opts.intervalMs ?? 1000);
}
