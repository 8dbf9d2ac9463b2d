import { EVENT_NAMES } from '@/lib/events/catalogue';
import type { EventName } from '@/lib/events/outbox';

/**
 * The events integrators can subscribe to, by their webhook `type` (the outbox name without `lectern/` and
 * the version). Each is the v1 event of that name; its `data` is that event's payload. A change of shape
 * that is not additive becomes a new type, never a silent change (docs/webhooks.md).
 */
export const WEBHOOK_EVENT_TYPES = [
  'member.joined',
  'member.removed',
  'member.role_changed',
  'enrolment.created',
  'item.completed',
  'course.completed',
  'assignment.submitted',
  'attempt.graded',
  'grade.changed',
  'certificate.issued',
  'certificate.revoked',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "Send test event"; an endpoint does not subscribe to it. */
export const TEST_EVENT_TYPE = 'webhook.test';

export function outboxNameOf(type: WebhookEventType): EventName {
  return `lectern/${type}.v1`;
}

const BY_OUTBOX_NAME = new Map<string, WebhookEventType>(WEBHOOK_EVENT_TYPES.map((t) => [outboxNameOf(t), t]));

/** The webhook type an outbox event is delivered as, or undefined when integrators do not get it. */
export function webhookTypeOf(outboxName: string): WebhookEventType | undefined {
  return BY_OUTBOX_NAME.get(outboxName);
}

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

// Every public type must be an event Lectern emits: a typo here would subscribe integrators to silence.
const known: ReadonlySet<string> = new Set(EVENT_NAMES);
for (const t of WEBHOOK_EVENT_TYPES) if (!known.has(outboxNameOf(t))) throw new Error(`webhooks: ${t} is not in the event catalogue`);
