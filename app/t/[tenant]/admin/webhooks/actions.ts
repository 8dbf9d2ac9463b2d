'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { createEndpoint, deleteEndpoint, EditEndpointForm, EndpointForm, replayDelivery, rotateSecret, sendTestEvent, setEndpointEnabled, updateEndpoint } from '@/lib/webhooks/service';

const EndpointRef = z.object({ endpointId: z.string().max(100) });

/** The secret goes back to the form once; it is never put in a URL or a log. */
export const createEndpointAction = memberAction({ role: 'admin', input: EndpointForm }, async (tx, ctx, input) => {
  const { endpoint, secret } = await createEndpoint(tx, ctx, input);
  return { ok: true, message: (await getTranslations('webhooks.form'))('added'), data: { secret, endpointId: endpoint.id } };
});

export const updateEndpointAction = memberAction({ role: 'admin', input: EditEndpointForm }, async (tx, ctx, { endpointId, ...input }) => {
  await updateEndpoint(tx, ctx, endpointId, input);
  return { ok: true, message: (await getTranslations('webhooks.form'))('saved') };
});

export const sendTestEventAction = memberAction({ role: 'admin', input: EndpointRef }, async (tx, ctx, { endpointId }) => {
  const outcome = await sendTestEvent(tx, ctx, endpointId);
  const t = await getTranslations('webhooks.manage.test');
  return { ok: true, message: outcome.ok ? t('delivered', { status: outcome.statusCode ?? 0 }) : t('failed', { error: outcome.error ?? '' }), data: { delivered: outcome.ok } };
});

export const rotateSecretAction = memberAction({ role: 'admin', input: EndpointRef }, async (tx, ctx, { endpointId }) => {
  const { secret } = await rotateSecret(tx, ctx, endpointId);
  return { ok: true, message: (await getTranslations('webhooks.manage.rotate'))('done'), data: { secret } };
});

export const setEndpointEnabledAction = memberAction({ role: 'admin', input: EndpointRef.extend({ enabled: z.enum(['true', 'false']) }) }, async (tx, ctx, input) => {
  const enabled = input.enabled === 'true';
  await setEndpointEnabled(tx, ctx, input.endpointId, enabled);
  return { ok: true, message: (await getTranslations('webhooks.manage'))(enabled ? 'enable.done' : 'disable.done') };
});

export const deleteEndpointAction = memberAction({ role: 'admin', input: EndpointRef }, async (tx, ctx, { endpointId }) => {
  await deleteEndpoint(tx, ctx, endpointId);
  return { ok: true };
});

export const replayDeliveryAction = memberAction({ role: 'admin', input: z.object({ deliveryId: z.string().max(100) }) }, async (tx, ctx, { deliveryId }) => {
  const outcome = await replayDelivery(tx, ctx, deliveryId);
  const t = await getTranslations('webhooks.log');
  return { ok: true, message: outcome.ok ? t('replayed', { status: outcome.statusCode ?? 0 }) : t('replayFailed', { error: outcome.error ?? '' }), data: { delivered: outcome.ok } };
});
