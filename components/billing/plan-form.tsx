'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/auth/action-state';
import { useNavigatingAction } from '@/components/auth/auth-form';

export type PlanChoice = { id: 'team' | 'business'; label: string; blurb: string; price: string; min: number; max: number; seatsHint: string };

type Labels = {
  plan: string;
  seats: string;
  submit: string;
  pending: string;
  confirm?: { title: string; confirm: string; cancel: string };
};

/**
 * Choose a paid plan and a seat count. For an upgrade the browser then goes to Stripe Checkout; for a
 * change of a live subscription the owner confirms first (Stripe prorates the difference).
 */
export function PlanForm({
  action,
  plans,
  initial,
  current,
  labels,
}: {
  action: (prev: ActionState, data: FormData) => Promise<ActionState>;
  plans: PlanChoice[];
  initial: { plan: PlanChoice['id']; seats: number };
  /** The live subscription, for the confirmation's "from → to". */
  current?: { plan: PlanChoice['id']; seats: number };
  labels: Labels;
}) {
  const t = useTranslations('billing');
  const [state, formAction] = useNavigatingAction(action);
  const [plan, setPlan] = useState(state.values?.plan ?? initial.plan);
  const [seats, setSeats] = useState(state.values?.seats ?? String(initial.seats));
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  const chosen = plans.find((p) => p.id === plan) ?? plans[0]!;
  return (
    <form action={formAction} className="space-y-4" onSubmit={() => setConfirming(false)}>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{labels.plan}</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {plans.map((p) => (
            <label key={p.id} className="flex cursor-pointer gap-3 rounded-md border border-slate-300 p-3 has-[:checked]:border-brand has-[:checked]:ring-1 has-[:checked]:ring-brand">
              <input
                type="radio"
                name="plan"
                value={p.id}
                checked={plan === p.id}
                onChange={() => setPlan(p.id)}
                className="mt-1"
                aria-labelledby={`${id}-${p.id}-name`}
                aria-describedby={`${id}-${p.id}-details`}
              />
              <span>
                <span id={`${id}-${p.id}-name`} className="block font-semibold">
                  {p.label}
                </span>
                <span id={`${id}-${p.id}-details`}>
                  <span className="block text-sm text-slate-700">{p.price}</span>
                  <span className="block text-xs text-slate-600">{p.blurb}</span>
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="max-w-xs">
        <Field
          label={labels.seats}
          name="seats"
          type="number"
          inputMode="numeric"
          required
          min={chosen.min}
          max={chosen.max}
          value={seats}
          onChange={(e) => setSeats(e.target.value)}
          hint={chosen.seatsHint}
          error={state.fieldErrors?.seats}
        />
      </div>
      {labels.confirm && confirming ? (
        <div role="group" aria-labelledby={`${id}-confirm`} className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4">
          <p id={`${id}-confirm`} className="font-semibold">
            {labels.confirm.title}
          </p>
          {current && (
            <p className="text-sm">
              {t('confirmChangeBody', {
                fromPlan: plans.find((p) => p.id === current.plan)?.label ?? current.plan,
                fromSeats: current.seats,
                toPlan: chosen.label,
                toSeats: Number(seats) || 0,
              })}
            </p>
          )}
          <div className="flex gap-2">
            <SubmitButton pendingLabel={labels.pending}>{labels.confirm.confirm}</SubmitButton>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              {labels.confirm.cancel}
            </Button>
          </div>
        </div>
      ) : labels.confirm ? (
        <Button type="button" onClick={() => setConfirming(true)}>
          {labels.submit}
        </Button>
      ) : (
        <SubmitButton pendingLabel={labels.pending}>
          {labels.submit}
        </SubmitButton>
      )}
      <div aria-live="polite">
        {/* A refusal about the seats is shown under the field; repeating it here would say it twice. */}
        {!(state.fieldErrors?.seats && state.fieldErrors.seats === state.message) && <FormMessage state={state} />}
      </div>
    </form>
  );
}
