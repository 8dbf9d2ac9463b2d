import { afterAll, describe, expect, it } from 'vitest';
import { sweepOnce, SWEEPS } from '@/lib/jobs/sweeps';
import { DELIVERY_RETENTION_DAYS } from '@/lib/webhooks/delivery';
import { makeOrg } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

describe('the webhook delivery log', () => {
  it(`keeps ${DELIVERY_RETENTION_DAYS} days of finished deliveries (attempts go with them) and never a pending one`, async () => {
    const org = await makeOrg('hookretention');
    const [endpoint] = await owner<{ id: string }[]>`
      insert into webhook_endpoints (tenant_id, url, event_types, secret_encrypted)
      values (${org.tenant.id}, 'https://hooks.example.com/in', '{enrolment.created}', 'x') returning id`;
    const add = async (status: string, ageDays: number) => {
      const [d] = await owner<{ id: string }[]>`
        insert into webhook_deliveries (tenant_id, endpoint_id, message_id, event_type, payload, status, created_at)
        values (${org.tenant.id}, ${endpoint!.id}, ${crypto.randomUUID()}, 'enrolment.created', '{}', ${status}, now() - make_interval(days => ${ageDays}))
        returning id`;
      await owner`insert into webhook_attempts (tenant_id, delivery_id, status_code, duration_ms) values (${org.tenant.id}, ${d!.id}, 500, 12)`;
      return d!.id;
    };
    const oldDelivered = await add('delivered', DELIVERY_RETENTION_DAYS + 1);
    const oldFailed = await add('failed', DELIVERY_RETENTION_DAYS + 5);
    const oldPending = await add('pending', DELIVERY_RETENTION_DAYS + 2);
    const recent = await add('delivered', DELIVERY_RETENTION_DAYS - 1);

    const touched = await sweepOnce(new Date(), SWEEPS.filter((s) => s.id === 'expire-webhook-deliveries'));
    expect(touched['expire-webhook-deliveries']).toBe(2);
    const left = await owner<{ id: string }[]>`select id from webhook_deliveries where tenant_id = ${org.tenant.id}`;
    expect(left.map((r) => r.id).sort()).toEqual([oldPending, recent].sort());
    const attempts = await owner<{ delivery_id: string }[]>`select delivery_id from webhook_attempts where tenant_id = ${org.tenant.id}`;
    expect(attempts.map((a) => a.delivery_id).sort()).toEqual([oldPending, recent].sort());
    expect([oldDelivered, oldFailed].some((id) => left.some((r) => r.id === id))).toBe(false);
  });
});
