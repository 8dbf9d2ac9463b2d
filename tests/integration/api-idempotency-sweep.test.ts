import { afterAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '@/lib/api/keys';
import { sweepOnce, SWEEPS } from '@/lib/jobs/sweeps';
import { callApi, makeApiKey } from '../support/api';
import { shortCourse } from '../support/courses';
import { addMember, makeOrg } from '../support/factories';
import { ownerSql } from '../support/owner';

const owner = ownerSql();
afterAll(() => owner.end());

describe('stored Idempotency-Key responses', () => {
  it('are deleted by the sweep once older than 24 hours, and only then', async () => {
    const org = await makeOrg('idemsweep');
    const key = await makeApiKey(org.owner, API_SCOPES);
    const course = await shortCourse(org.owner, 'Sweep course');
    const a = await addMember(org.tenant, 'learner', { email: 'a@idemsweep.test' });
    const b = await addMember(org.tenant, 'learner', { email: 'b@idemsweep.test' });
    for (const [m, k] of [[a, 'old'], [b, 'new']] as const) {
      const res = await callApi('POST', '/api/v1/enrolments', { key, body: { course: course.id, member: m.membershipId }, headers: { 'idempotency-key': k } });
      expect(res.status).toBe(201);
    }
    await owner`update idempotency_keys set created_at = now() - interval '25 hours' where tenant_id = ${org.tenant.id} and key = 'old'`;
    const touched = await sweepOnce(new Date(), SWEEPS.filter((s) => s.id === 'expire-idempotency-keys'));
    expect(touched['expire-idempotency-keys']).toBeGreaterThanOrEqual(1);
    const rows = await owner`select key from idempotency_keys where tenant_id = ${org.tenant.id} order by key`;
    expect(rows.map((r) => r.key)).toEqual(['new']);
  });
});
