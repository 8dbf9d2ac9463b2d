import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';

/** Enter a code to check (a plain GET form: works without JavaScript, and the address can be shared). */
export async function VerifyForm({ defaultValue = '' }: { defaultValue?: string }) {
  const t = await getTranslations('verify');
  return (
    <form method="get" action="/verify" className="space-y-3" role="search" aria-label={t('formLabel')}>
      <div>
        <label htmlFor="verify-code" className="block text-sm font-medium text-slate-800">
          {t('codeLabel')}
        </label>
        <div className="mt-1 flex flex-wrap gap-2">
          <input
            id="verify-code"
            name="code"
            defaultValue={defaultValue}
            required
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="verify-code-hint"
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm uppercase shadow-sm"
          />
          <button type="submit" className={buttonClass('primary')}>
            {t('submit')}
          </button>
        </div>
        <p id="verify-code-hint" className="mt-1 text-xs text-slate-600">
          {t('codeHint')}
        </p>
      </div>
    </form>
  );
}
