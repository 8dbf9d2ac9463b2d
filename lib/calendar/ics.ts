import { createEvents, type EventAttributes } from 'ics';
import { createTranslator } from 'use-intl/core';
import en from '@/lib/i18n/messages/en.json';
import type { DueItem } from './due-items';

// A feed has no reader session: it speaks the organisation's language (English until organisations choose one).
const t = createTranslator({ locale: 'en', messages: en, namespace: 'calendar.ics' });

/** A stable UID per item: a calendar app updates the event in place when its due date moves. */
export function eventUid(itemId: string): string {
  return `due-${itemId}@lectern`;
}

/**
 * An iCalendar document (RFC 5545) with one VEVENT per due item: DTSTART is the due moment (UTC) and
 * there is no end (a deadline, not a meeting; RFC 5545 lets a DATE-TIME event end where it starts).
 */
export function buildIcs(items: DueItem[], opts: { origin: string; calendarName: string }): string {
  const events = items.map(
    (item) =>
      ({
        uid: eventUid(item.itemId),
        start: item.dueAt.getTime(),
        startInputType: 'utc',
        startOutputType: 'utc',
        title: t('summary', { item: item.title, course: item.courseTitle }),
        description: t(item.done ? 'descriptionDone' : 'description', { kind: t(`kinds.${item.kind}`), course: item.courseTitle }),
        url: `${opts.origin}${item.href}`,
        lastModified: item.updatedAt.getTime(),
      }) as EventAttributes,
  );
  const { error, value } = createEvents(events, { productId: '-//Lectern//Due dates//EN', calName: t('calendarName', { organisation: opts.calendarName }) });
  if (error || value === null) throw error ?? new Error('ics: no calendar produced');
  return value;
}
