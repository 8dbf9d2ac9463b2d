import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import { recordAudit } from '@/lib/audit/service';
import { assertRole, type MemberContext } from '@/lib/auth/context';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { v } from '@/lib/i18n/validation';
import { attemptDeliveries, DISABLED_BY_ADMIN, type Sendable, type WebhookBody } from './delivery';
import { isWebhookEventType, TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './events';
import { newSecret, encryptSecret } from './signing';
import { assertPublicUrl, SsrfError } from './ssrf';
import type { AttemptOutcome } from './transport';

/** Endpoints per organisation: enough for several integrations, few enough that one event stays cheap to fan out. */
export const MAX_ENDPOINTS = 20;
export const DELIVERIES_PAGE_SIZE = 20;

export const EndpointInput = z.object({
  url: z.string().trim().max(2000, v('tooLong')),
  description: z.string().trim().max(200, v('tooLong')).default(''),
  eventTypes: z.array(z.string()).max(WEBHOOK_EVENT_TYPES.length * 2),
});
export type EndpointInput = z.input<typeof EndpointInput>;

/** The endpoint form as posted: one checkbox per event type, named `event.<type>`. */
function checkedEventTypes(raw: unknown) {
  const fields = (raw ?? {}) as Record<string, unknown>;
  return { ...fields, eventTypes: Object.keys(fields).filter((k) => k.startsWith('event.') && fields[k]).map((k) => k.slice('event.'.length)) };
}
export const EndpointForm = z.preprocess(checkedEventTypes, EndpointInput);
export const EditEndpointForm = z.preprocess(checkedEventTypes, EndpointInput.extend({ endpointId: z.string().max(100) }));

export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
};

const endpointColumns = {
  id: schema.webhookEndpoints.id,
  url: schema.webhookEndpoints.url,
  description: schema.webhookEndpoints.description,
  eventTypes: schema.webhookEndpoints.eventTypes,
  enabled: schema.webhookEndpoints.enabled,
  disabledReason: schema.webhookEndpoints.disabledReason,
  failingSince: schema.webhookEndpoints.failingSince,
  createdAt: schema.webhookEndpoints.createdAt,
};

function asEndpoint(row: Omit<WebhookEndpoint, 'eventTypes'> & { eventTypes: string[] }): WebhookEndpoint {
  return { ...row, eventTypes: row.eventTypes.filter(isWebhookEventType) };
}

/** The SSRF guard's refusal as a message on the URL field. */
async function checkedUrl(raw: string): Promise<string> {
  try {
    return (await assertPublicUrl(raw)).url.toString();
  } catch (e) {
    if (!(e instanceof SsrfError)) throw e;
    const field = { field: 'url' };
    switch (e.reason) {
      case 'invalid':
        throw new ValidationError('webhookUrlInvalid', field);
      case 'protocol':
        throw new ValidationError('webhookUrlNotHttps', field);
      case 'credentials':
        throw new ValidationError('webhookUrlCredentials', field);
      case 'localhost':
        throw new ValidationError('webhookUrlLocal', { ...field, params: { host: e.subject } });
      case 'private':
        throw new ValidationError('webhookUrlPrivate', { ...field, params: { address: e.subject } });
      case 'unresolvable':
        throw new ValidationError('webhookUrlUnresolvable', { ...field, params: { host: e.subject } });
    }
  }
}

async function parseEndpoint(input: EndpointInput) {
  const parsed = EndpointInput.parse(input);
  const wanted = new Set(parsed.eventTypes);
  const eventTypes = WEBHOOK_EVENT_TYPES.filter((t) => wanted.has(t)); // catalogue order, duplicates gone
  if (!eventTypes.length || parsed.eventTypes.some((t) => !isWebhookEventType(t))) throw new ValidationError('webhookEventsMissing', { field: 'eventTypes' });
  return { url: await checkedUrl(parsed.url), description: parsed.description, eventTypes };
}

/**
 * An endpoint of this organisation, locked for the change (`no key update` lets new deliveries keep referencing
 * it; a deletion takes `update`); unknown or another organisation's id: not found.
 */
async function endpointForChange(tx: Tx, ctx: MemberContext, endpointId: string, strength: 'update' | 'no key update' = 'no key update') {
  if (!z.uuid().safeParse(endpointId).success) throw new NotFoundError('webhookEndpointNotFound');
  const [row] = await tx
    .select()
    .from(schema.webhookEndpoints)
    .where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)))
    .for(strength);
  if (!row) throw new NotFoundError('webhookEndpointNotFound');
  return row;
}

/** Register an endpoint. The signing secret is returned this once; only its encryption is kept. */
export async function createEndpoint(tx: Tx, ctx: MemberContext, input: EndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  assertRole(ctx, 'admin');
  const values = await parseEndpoint(input);
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(schema.webhookEndpoints).where(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id));
  if (n >= MAX_ENDPOINTS) throw new ConflictError('webhookEndpointLimit', { params: { max: MAX_ENDPOINTS } });
  const id = crypto.randomUUID();
  const secret = newSecret();
  const [row] = await tx
    .insert(schema.webhookEndpoints)
    .values({ tenantId: ctx.tenant.id, id, ...values, secretEncrypted: encryptSecret(secret, ctx.tenant.id, id) })
    .returning(endpointColumns);
  await recordAudit(tx, ctx, { action: 'webhook.endpoint_created', targetType: 'webhook_endpoint', targetId: id, targetLabel: values.url, after: values });
  return { endpoint: asEndpoint(row!), secret };
}

export async function updateEndpoint(tx: Tx, ctx: MemberContext, endpointId: string, input: EndpointInput): Promise<WebhookEndpoint> {
  assertRole(ctx, 'admin');
  const before = await endpointForChange(tx, ctx, endpointId);
  const values = await parseEndpoint(input);
  const [row] = await tx
    .update(schema.webhookEndpoints)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)))
    .returning(endpointColumns);
  await recordAudit(tx, ctx, {
    action: 'webhook.endpoint_updated',
    targetType: 'webhook_endpoint',
    targetId: endpointId,
    targetLabel: values.url,
    before: { url: before.url, description: before.description, eventTypes: before.eventTypes },
    after: values,
  });
  return asEndpoint(row!);
}

/** Delete an endpoint with its delivery log. */
export async function deleteEndpoint(tx: Tx, ctx: MemberContext, endpointId: string): Promise<void> {
  assertRole(ctx, 'admin');
  const before = await endpointForChange(tx, ctx, endpointId, 'update');
  await tx.delete(schema.webhookEndpoints).where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)));
  await recordAudit(tx, ctx, {
    action: 'webhook.endpoint_deleted',
    targetType: 'webhook_endpoint',
    targetId: endpointId,
    targetLabel: before.url,
    before: { url: before.url, description: before.description, eventTypes: before.eventTypes, enabled: before.enabled },
  });
}

/**
 * Enable or disable. Enabling starts afresh (`failing_since` cleared), and deliveries still pending are sent
 * by the next retry run; a disabled endpoint gets no new deliveries and no retries.
 */
export async function setEndpointEnabled(tx: Tx, ctx: MemberContext, endpointId: string, enabled: boolean): Promise<void> {
  assertRole(ctx, 'admin');
  const before = await endpointForChange(tx, ctx, endpointId);
  if (before.enabled === enabled) return;
  await tx
    .update(schema.webhookEndpoints)
    .set(enabled ? { enabled, disabledReason: null, failingSince: null, updatedAt: new Date() } : { enabled, disabledReason: DISABLED_BY_ADMIN, updatedAt: new Date() })
    .where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)));
  await recordAudit(tx, ctx, {
    action: enabled ? 'webhook.endpoint_enabled' : 'webhook.endpoint_disabled',
    targetType: 'webhook_endpoint',
    targetId: endpointId,
    targetLabel: before.url,
    before: { enabled: before.enabled, disabledReason: before.disabledReason },
    after: { enabled, disabledReason: enabled ? null : DISABLED_BY_ADMIN },
  });
}

/** A new signing secret, returned this once; the old one stops at once (every later attempt is signed with the new one). */
export async function rotateSecret(tx: Tx, ctx: MemberContext, endpointId: string): Promise<{ secret: string }> {
  assertRole(ctx, 'admin');
  const before = await endpointForChange(tx, ctx, endpointId);
  const secret = newSecret();
  await tx
    .update(schema.webhookEndpoints)
    .set({ secretEncrypted: encryptSecret(secret, ctx.tenant.id, endpointId), updatedAt: new Date() })
    .where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)));
  await recordAudit(tx, ctx, { action: 'webhook.secret_rotated', targetType: 'webhook_endpoint', targetId: endpointId, targetLabel: before.url });
  return { secret };
}

/**
 * Send a `webhook.test` event now, whatever the endpoint subscribes to (and even when it is disabled, to check
 * a fix before enabling it). One attempt, no retries; it shows in the delivery log like any delivery.
 */
export async function sendTestEvent(tx: Tx, ctx: MemberContext, endpointId: string, now = new Date()): Promise<AttemptOutcome & { deliveryId: string }> {
  assertRole(ctx, 'admin');
  const endpoint = await endpointForChange(tx, ctx, endpointId);
  const messageId = crypto.randomUUID();
  const body: WebhookBody = {
    type: TEST_EVENT_TYPE,
    timestamp: now.toISOString(),
    data: { endpointId, message: `A test event from ${ctx.tenant.name} on Lectern, sent by ${ctx.user.name}.` },
  };
  const [delivery] = await tx
    .insert(schema.webhookDeliveries)
    .values({ tenantId: ctx.tenant.id, endpointId, messageId, eventType: TEST_EVENT_TYPE, payload: body, nextAttemptAt: null })
    .returning({ id: schema.webhookDeliveries.id });
  const sendable: Sendable = { id: delivery!.id, endpointId, messageId, payload: body, attempts: 0, status: 'pending', url: endpoint.url, secretEncrypted: endpoint.secretEncrypted };
  const [outcome] = await attemptDeliveries(tx, ctx.tenant.id, [sendable], () => 'once', now);
  await recordAudit(tx, ctx, {
    action: 'webhook.test_sent',
    targetType: 'webhook_endpoint',
    targetId: endpointId,
    targetLabel: endpoint.url,
    after: { deliveryId: delivery!.id, statusCode: outcome!.statusCode, ok: outcome!.ok },
  });
  return { ...outcome!, deliveryId: delivery!.id };
}

/**
 * Replay: one new attempt now, with the same `webhook-id` (receivers that deduplicate see the same message).
 * A pending delivery's failure schedules its next retry as usual; a delivered or failed one ends as this
 * attempt's outcome.
 */
export async function replayDelivery(tx: Tx, ctx: MemberContext, deliveryId: string, now = new Date()): Promise<AttemptOutcome> {
  assertRole(ctx, 'admin');
  if (!z.uuid().safeParse(deliveryId).success) throw new NotFoundError('webhookDeliveryNotFound');
  const d = schema.webhookDeliveries;
  const e = schema.webhookEndpoints;
  const [ref] = await tx.select({ endpointId: d.endpointId }).from(d).where(and(eq(d.tenantId, ctx.tenant.id), eq(d.id, deliveryId)));
  if (!ref) throw new NotFoundError('webhookDeliveryNotFound');
  // Endpoint first, then delivery: the order a deletion takes them in (no deadlock with it).
  await endpointForChange(tx, ctx, ref.endpointId);
  const [row] = await tx
    .select({ id: d.id, endpointId: d.endpointId, messageId: d.messageId, payload: d.payload, attempts: d.attempts, status: d.status, eventType: d.eventType, url: e.url, secretEncrypted: e.secretEncrypted })
    .from(d)
    .innerJoin(e, and(eq(e.tenantId, d.tenantId), eq(e.id, d.endpointId)))
    .where(and(eq(d.tenantId, ctx.tenant.id), eq(d.id, deliveryId)))
    .for('update', { of: d });
  if (!row) throw new NotFoundError('webhookDeliveryNotFound');
  const [outcome] = await attemptDeliveries(tx, ctx.tenant.id, [row], (r) => (r.status === 'pending' ? 'retrying' : 'once'), now);
  await recordAudit(tx, ctx, {
    action: 'webhook.delivery_replayed',
    targetType: 'webhook_delivery',
    targetId: deliveryId,
    targetLabel: `${row.eventType} → ${row.url}`,
    before: { status: row.status, attempts: row.attempts },
    after: { statusCode: outcome!.statusCode, ok: outcome!.ok },
  });
  return outcome!;
}

/** Every endpoint of the organisation (at most MAX_ENDPOINTS), newest first. */
export async function listEndpoints(tx: Tx, ctx: MemberContext): Promise<WebhookEndpoint[]> {
  assertRole(ctx, 'admin');
  const rows = await tx
    .select(endpointColumns)
    .from(schema.webhookEndpoints)
    .where(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id))
    .orderBy(desc(schema.webhookEndpoints.createdAt), desc(schema.webhookEndpoints.id));
  return rows.map(asEndpoint);
}

export async function getEndpoint(tx: Tx, ctx: MemberContext, endpointId: string): Promise<WebhookEndpoint> {
  assertRole(ctx, 'admin');
  if (!z.uuid().safeParse(endpointId).success) throw new NotFoundError('webhookEndpointNotFound');
  const [row] = await tx
    .select(endpointColumns)
    .from(schema.webhookEndpoints)
    .where(and(eq(schema.webhookEndpoints.tenantId, ctx.tenant.id), eq(schema.webhookEndpoints.id, endpointId)));
  if (!row) throw new NotFoundError('webhookEndpointNotFound');
  return asEndpoint(row);
}

export type DeliveryRow = {
  id: string;
  messageId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
};

/** An endpoint's deliveries, newest first, a page at a time. */
export async function listDeliveries(tx: Tx, ctx: MemberContext, endpointId: string, input: { page: number }) {
  const endpoint = await getEndpoint(tx, ctx, endpointId);
  const d = schema.webhookDeliveries;
  const page = Math.max(1, input.page);
  const where = and(eq(d.tenantId, ctx.tenant.id), eq(d.endpointId, endpoint.id));
  const [rows, [total]] = await Promise.all([
    tx
      .select({
        id: d.id,
        messageId: d.messageId,
        eventType: d.eventType,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        lastAttemptAt: d.lastAttemptAt,
        createdAt: d.createdAt,
      })
      .from(d)
      .where(where)
      .orderBy(desc(d.createdAt), desc(d.id))
      .limit(DELIVERIES_PAGE_SIZE)
      .offset((page - 1) * DELIVERIES_PAGE_SIZE),
    tx.select({ n: count() }).from(d).where(where),
  ]);
  return { rows: rows as DeliveryRow[], total: total?.n ?? 0, page, pageSize: DELIVERIES_PAGE_SIZE };
}
