'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';

/**
 * A mail's HTML part in the admin mailbox, shown on request in a sandboxed frame (sandbox="": no script,
 * no access to this page, no forms), so a stored mail can never act in the admin's session.
 */
export function MailHtmlPreview({ html, subject }: { html: string; subject: string }) {
  const t = useTranslations('mail.mailbox');
  const [shown, setShown] = useState(false);
  return (
    <div className="mt-3">
      <button type="button" onClick={() => setShown((s) => !s)} aria-expanded={shown} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-xs font-medium text-slate-800 hover:bg-slate-100">
        {shown ? t('hideHtml') : t('showHtml')}
      </button>
      {shown && <iframe sandbox="" srcDoc={html} title={t('htmlFrameTitle', { subject })} className="mt-2 h-[28rem] w-full rounded border border-slate-200 bg-white" />}
    </div>
  );
}
