'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { SecretReveal } from './secret-reveal';

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/** "member.role_changed" → the message key "member_role_changed" (next-intl reads dots as nesting). */
export const eventKey = (type: string) => type.replace(/\./g, '_');

/**
 * Add or edit an endpoint: URL, description and one checkbox per event type. After adding, the signing
 * secret is shown here once, with a link to the new endpoint.
 */
export function EndpointForm({
  action,
  eventTypes,
  endpoint,
}: {
  action: Action;
  eventTypes: readonly string[];
  endpoint?: { id: string; url: string; description: string; eventTypes: readonly string[] };
}) {
  const t = useTranslations('webhooks.form');
  const te = useTranslations('webhooks.events');
  const [created, setCreated] = useState<{ secret: string; endpointId: string } | null>(null);
  const [state, formAction] = useActionState(async (prev: ActionState, data: FormData) => {
    const next = await action(prev, data);
    if (next.ok && typeof next.data?.secret === 'string') setCreated({ secret: next.data.secret, endpointId: String(next.data.endpointId) });
    return next;
  }, { ok: false });
  const kept = state.ok ? undefined : state.values;
  const checked = (type: string) => (kept ? kept[`event.${type}`] === 'on' : (endpoint?.eventTypes.includes(type) ?? false));
  const eventsError = state.fieldErrors?.eventTypes;
  return (
    <div className="space-y-4">
      {created && (
        <div className="space-y-2">
          <SecretReveal secret={created.secret} />
          <Link href={`/admin/webhooks/${created.endpointId}`} className="text-sm font-medium text-slate-900 underline">
            {t('openEndpoint')}
          </Link>
        </div>
      )}
      <form action={formAction} className="space-y-4" noValidate aria-label={endpoint ? t('editLabel') : t('addLabel')}>
        {!state.fieldErrors && !created && <FormMessage state={state} />}
        {endpoint && <input type="hidden" name="endpointId" value={endpoint.id} />}
        <Field
          label={t('url')}
          name="url"
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.com/lectern-webhooks"
          hint={t('urlHint')}
          defaultValue={kept?.url ?? endpoint?.url}
          error={state.fieldErrors?.url}
        />
        <Field label={t('description')} name="description" maxLength={200} placeholder={t('descriptionPlaceholder')} defaultValue={kept?.description ?? endpoint?.description} error={state.fieldErrors?.description} />
        <fieldset aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t('events')}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {eventTypes.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name={`event.${type}`} defaultChecked={checked(type)} className="mt-0.5 size-4" />
                <span>
                  <span className="font-mono text-xs text-slate-900">{type}</span>
                  <span className="block text-slate-600">{te(eventKey(type))}</span>
                </span>
              </label>
            ))}
          </div>
          {eventsError && (
            <p id="webhook-events-error" className="mt-1 text-sm text-red-700">
              {eventsError}
            </p>
          )}
        </fieldset>
        <SubmitButton pendingLabel={endpoint ? t('saving') : t('adding')}>{endpoint ? t('save') : t('add')}</SubmitButton>
      </form>
    </div>
  );
}
