import type { Tx } from '@/db/client';
import { schema } from '@/db/client';

/** Versioned event names: consumers can rely on a payload shape per version. */
export type EventName = `lectern/${string}.v${number}`;

/** Append many events of one name in one statement per thousand (bulk enrolments). */
export async function emitMany(tx: Tx, tenantId: string, name: EventName, payloads: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < payloads.length; i += 1000) {
    await tx.insert(schema.outbox).values(payloads.slice(i, i + 1000).map((payload) => ({ tenantId, name, payload })));
  }
}

/** Append an event in the caller's transaction; it is relayed only after that transaction commits. */
export async function emit(tx: Tx, tenantId: string, name: EventName, payload: Record<string, unknown>): Promise<string> {
  const [row] = await tx.insert(schema.outbox).values({ tenantId, name, payload }).returning({ id: schema.outbox.id });
  return row!.id;
}
