'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useState } from 'react';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';

type Availability = { available: true; slug: string } | { available: false; reason: string };

function suggestSlug(name: string) {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

function useDebounced<T>(value: T, ms: number) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function SignupForm({ action, rootDomain }: { action: (prev: ActionState, data: FormData) => Promise<ActionState>; rootDomain: string }) {
  const t = useTranslations('signup');
  const [state, formAction] = useActionState(action, { ok: false });
  const [orgName, setOrgName] = useState(state.values?.orgName ?? '');
  const [slug, setSlug] = useState(state.values?.slug ?? '');
  const [slugEdited, setSlugEdited] = useState(Boolean(state.values?.slug));
  const effectiveSlug = slugEdited ? slug : suggestSlug(orgName);
  const debounced = useDebounced(effectiveSlug, 300);
  const availability = useQuery({
    queryKey: ['slug', debounced],
    enabled: debounced.length > 0,
    queryFn: async (): Promise<Availability> => (await fetch(`/api/signup/slug?slug=${encodeURIComponent(debounced)}`)).json(),
  });
  const errors = state.fieldErrors ?? {};
  const slugHint =
    debounced !== effectiveSlug || availability.isFetching
      ? t('checking')
      : availability.data
        ? availability.data.available
          ? t('available', { host: `${availability.data.slug}.${rootDomain}` })
          : availability.data.reason
        : t('slugHint', { root: rootDomain });

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage state={state} />
      <Field label={t('orgName')} name="orgName" required maxLength={120} value={orgName} onChange={(e) => setOrgName(e.target.value)} error={errors.orgName} autoComplete="organization" />
      <Field
        label={t('slug')}
        name="slug"
        required
        maxLength={40}
        value={effectiveSlug}
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value.toLowerCase());
        }}
        error={errors.slug}
        hint={<span aria-live="polite" className={availability.data && !availability.data.available ? 'text-red-700' : undefined}>{slugHint}</span>}
        autoComplete="off"
        spellCheck={false}
      />
      <Field label={t('ownerName')} name="ownerName" required maxLength={120} defaultValue={state.values?.ownerName} error={errors.ownerName} autoComplete="name" />
      <Field label={t('email')} name="email" type="email" required defaultValue={state.values?.email} error={errors.email} autoComplete="email" />
      <Field label={t('password')} name="password" type="password" required minLength={10} error={errors.password} hint={t('passwordHint')} autoComplete="new-password" />
      <SubmitButton pendingLabel={t('creating')} className="w-full">
        {t('submit')}
      </SubmitButton>
    </form>
  );
}
