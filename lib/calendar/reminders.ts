import { sql } from 'drizzle-orm';
import { createTranslator } from 'use-intl/core';
import type { Tx } from '@/db/client';
import en from '@/lib/i18n/messages/en.json';
import type { JobContext } from '@/lib/jobs/registry';
import { itemHref } from '@/lib/learning/progress';
import { notify, type NewNotification } from '@/lib/notifications/service';
import { doneSql, dueAtOf } from './due-items';

const t = createTranslator({ locale: 'en', messages: en, namespace: 'calendar.reminder' });
const dueFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** How far ahead a reminder goes out: items due within the next 24 hours. */
export const REMINDER_WINDOW_MS = 24 * 60 * 60 * 1000;

type Row = { item_id: string; title: string; course_title: string; course_slug: string; due_at: string | Date; due_text: string; user_id: string | null };

/**
 * Remind the learners of one organisation about what is due within 24 hours of `now`. Set-based: one
 * statement finds every item due in the window that has no `due_reminders` row for (item, due date),
 * with each active learner of its course who has not completed or submitted it; notify() writes the
 * notices (`due:<item>:<due ISO>`, idempotent) and one statement records a `due_reminders` row per item.
 * A re-run finds the rows and sends nothing; a moved due date is a new (item, due date) and is reminded once more.
 */
export async function remindDueItems(tx: Tx, tenantId: string, now = new Date()): Promise<{ items: number; notices: number }> {
  const due = dueAtOf(sql`ci`);
  const until = new Date(now.getTime() + REMINDER_WINDOW_MS);
  const rows = await tx.execute<Row>(sql`
    with pending as (
      select d.* from (
        select ci.id, ci.id as item_id, ci.kind, ci.title, ci.course_id, c.title as course_title, c.slug as course_slug, ${due} as due_at
        from course_items ci
        join courses c on c.tenant_id = ci.tenant_id and c.id = ci.course_id and c.status = 'published'
        where ci.tenant_id = ${tenantId} and ci.kind in ('quiz', 'assignment')
      ) d
      where d.due_at > ${now.toISOString()}::timestamptz and d.due_at <= ${until.toISOString()}::timestamptz
        and not exists (select 1 from due_reminders r where r.tenant_id = ${tenantId} and r.item_id = d.item_id and r.due_at = d.due_at)
    )
    select p.item_id, p.title, p.course_title, p.course_slug, p.due_at,
           to_char(p.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as due_text, e.user_id
    from pending p
    left join enrolments e on e.tenant_id = ${tenantId} and e.course_id = p.course_id and e.role = 'learner' and e.status = 'active'
      and not ${doneSql(sql`e`, sql`p`)}
    order by p.item_id, e.user_id`);
  if (!rows.length) return { items: 0, notices: 0 };

  const perItem = new Map<string, { dueText: string; recipients: number }>();
  const notices: NewNotification[] = [];
  for (const r of rows) {
    const entry = perItem.get(r.item_id) ?? { dueText: r.due_text, recipients: 0 };
    perItem.set(r.item_id, entry);
    if (!r.user_id) continue;
    entry.recipients += 1;
    notices.push({
      userId: r.user_id,
      type: 'due-reminder',
      title: t('title', { item: r.title, course: r.course_title }),
      body: t('body', { due: `${dueFormat.format(new Date(r.due_text))} UTC` }),
      link: itemHref(r.course_slug, r.item_id),
      dedupeKey: `due:${r.item_id}:${r.due_text}`,
    });
  }
  const created = await notify(tx, tenantId, notices);
  const sent = JSON.stringify([...perItem].map(([itemId, v]) => ({ item_id: itemId, due_at: v.dueText, recipients: v.recipients })));
  await tx.execute(sql`
    insert into due_reminders (tenant_id, item_id, due_at, recipients)
    select ${tenantId}::uuid, x.item_id, x.due_at, x.recipients
    from jsonb_to_recordset(${sent}::jsonb) as x(item_id uuid, due_at timestamptz, recipients int)
    on conflict do nothing`);
  return { items: perItem.size, notices: created };
}

/**
 * Cron job `due-date-reminders` for ONE organisation (the executor calls it per organisation every 15
 * minutes with `{ slot }`). The window is measured from the clock, not the slot: a late retry must not
 * remind about what is already past due, and what it skips the next tick covers.
 */
export async function sendDueReminders({ tenantId, tx, event, log }: JobContext): Promise<void> {
  const result = await remindDueItems(tx, tenantId, new Date());
  if (result.items) log.info({ slot: event.payload.slot, ...result }, 'due-date reminders sent');
}
