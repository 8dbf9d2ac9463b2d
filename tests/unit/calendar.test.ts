import { describe, expect, it } from 'vitest';
import { cursorOf, groupByDay, parseCursor, type DueItem } from '@/lib/calendar/due-items';
import { buildIcs, eventUid } from '@/lib/calendar/ics';

const item = (over: Partial<DueItem>): DueItem => ({
  itemId: '0b5d6c1e-6a55-4c1e-9a55-2f0c2f4f7a11',
  kind: 'quiz',
  title: 'Quiz 1',
  dueAt: new Date('2026-12-07T09:30:00.000Z'),
  courseId: 'c',
  courseSlug: 'stats',
  courseTitle: 'Statistics',
  done: false,
  href: '/learn/stats/0b5d6c1e-6a55-4c1e-9a55-2f0c2f4f7a11',
  updatedAt: new Date('2026-12-01T00:00:00.000Z'),
  ...over,
});

describe('calendar cursors', () => {
  it('round-trips, and reads anything odd as no cursor', () => {
    const i = item({});
    expect(parseCursor(cursorOf(i))).toEqual({ dueAt: i.dueAt, itemId: i.itemId });
    for (const bad of [undefined, null, '', 'x', '2026-12-07T09:30:00.000Z', `2026-13-45T99:99:99Z_${i.itemId}`, `2026-12-07T09:30:00Z_not-a-uuid`, "' or 1=1 --"]) {
      expect(parseCursor(bad)).toBeNull();
    }
  });
});

describe('grouping by day', () => {
  it('groups consecutive items by their UTC day', () => {
    const a = item({ itemId: 'a', dueAt: new Date('2026-12-07T00:00:00Z') });
    const b = item({ itemId: 'b', dueAt: new Date('2026-12-07T23:59:59Z') });
    const c = item({ itemId: 'c', dueAt: new Date('2026-12-08T00:00:00Z') });
    expect(groupByDay([a, b, c]).map((g) => [g.day, g.items.map((x) => x.itemId)])).toEqual([
      ['2026-12-07', ['a', 'b']],
      ['2026-12-08', ['c']],
    ]);
  });
});

describe('ICS', () => {
  it('writes one VEVENT per item with a stable UID, the due moment, an escaped summary and the item URL', () => {
    const ics = buildIcs([item({}), item({ itemId: '1c0f7d8e-0000-4000-8000-000000000001', kind: 'assignment', title: 'Essay; draft, 2', done: true })], { origin: 'http://acme.localhost:3000', calendarName: 'Acme' });
    const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n'); // unfolded (lines over 75 octets continue on the next)
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
    expect(lines).toContain(`UID:${eventUid('0b5d6c1e-6a55-4c1e-9a55-2f0c2f4f7a11')}`);
    expect(lines).toContain('DTSTART:20261207T093000Z');
    expect(lines).toContain('SUMMARY:Quiz 1 due — Statistics');
    expect(lines).toContain('SUMMARY:Essay\\; draft\\, 2 due — Statistics');
    expect(lines).toContain('DESCRIPTION:Assignment in Statistics (done)');
    expect(lines).toContain('URL:http://acme.localhost:3000/learn/stats/0b5d6c1e-6a55-4c1e-9a55-2f0c2f4f7a11');
    expect(lines.some((l) => l.startsWith('DTEND') || l.startsWith('DURATION'))).toBe(false);
  });

  it('is a valid empty calendar when nothing is due', () => {
    const ics = buildIcs([], { origin: 'http://acme.localhost:3000', calendarName: 'Acme' });
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(ics).not.toContain('BEGIN:VEVENT');
  });
});
