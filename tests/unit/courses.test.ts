import { describe, expect, it } from 'vitest';
import { embedSrc, parseVideoUrl } from '@/lib/courses/kinds/video-url';
import { lockState, opensAt, wouldCycle } from '@/lib/courses/release';
import { slugify } from '@/lib/courses/schemas';
import { courseProgress, percent } from '@/lib/learning/progress';
import { mergeRanges, watchedFraction } from '@/lib/learning/video';

describe('video URL allow-list', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42', { provider: 'youtube', videoId: 'dQw4w9WgXcQ' }],
    ['https://youtu.be/dQw4w9WgXcQ', { provider: 'youtube', videoId: 'dQw4w9WgXcQ' }],
    ['https://m.youtube.com/shorts/dQw4w9WgXcQ', { provider: 'youtube', videoId: 'dQw4w9WgXcQ' }],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', { provider: 'youtube', videoId: 'dQw4w9WgXcQ' }],
    ['https://vimeo.com/76979871', { provider: 'vimeo', videoId: '76979871' }],
    ['https://player.vimeo.com/video/76979871?h=abc', { provider: 'vimeo', videoId: '76979871' }],
  ])('accepts %s', (url, expected) => expect(parseVideoUrl(url)).toEqual(expected));

  it.each([
    'https://evil.test/watch?v=dQw4w9WgXcQ',
    'https://youtube.com.evil.test/watch?v=dQw4w9WgXcQ',
    'javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>',
    'https://vimeo.com/channels/staffpicks',
    'ftp://youtube.com/watch?v=dQw4w9WgXcQ',
    'not a url',
  ])('refuses %s', (url) => expect(parseVideoUrl(url)).toBeNull());

  it('rebuilds the embed URL from the id alone', () => {
    expect(embedSrc({ provider: 'youtube', videoId: 'dQw4w9WgXcQ' })).toBe('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0');
    expect(embedSrc({ provider: 'vimeo', videoId: '1' })).toBe('https://player.vimeo.com/video/1');
  });
});

describe('release rules', () => {
  const enrolledAt = new Date('2026-11-01T09:00:00Z');
  const none = { prerequisiteItemId: null, releaseAt: null, releaseAfterDays: null };

  it('opens drip items N days after enrolment, or on a date, whichever is later', () => {
    expect(opensAt({ ...none, releaseAfterDays: 7 }, enrolledAt)).toEqual(new Date('2026-11-08T09:00:00Z'));
    expect(opensAt({ ...none, releaseAfterDays: 7, releaseAt: new Date('2026-12-01T00:00:00Z') }, enrolledAt)).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(opensAt(none, enrolledAt)).toBeNull();
  });

  it('locks until the date, and says when', () => {
    const rule = { ...none, releaseAfterDays: 7 };
    expect(lockState(rule, { completed: new Set(), enrolledAt }, new Date('2026-11-05T00:00:00Z'))).toEqual({ locked: true, reason: 'date', opensAt: new Date('2026-11-08T09:00:00Z') });
    expect(lockState(rule, { completed: new Set(), enrolledAt }, new Date('2026-11-08T09:00:01Z'))).toEqual({ locked: false });
  });

  it('locks until the prerequisite is complete; staff previews are never locked', () => {
    const rule = { ...none, prerequisiteItemId: 'a' };
    expect(lockState(rule, { completed: new Set(), enrolledAt })).toMatchObject({ locked: true, reason: 'prerequisite', prerequisiteItemId: 'a' });
    expect(lockState(rule, { completed: new Set(['a']), enrolledAt })).toEqual({ locked: false });
    expect(lockState(rule, { completed: new Set(), enrolledAt, staff: true })).toEqual({ locked: false });
  });

  it('detects prerequisite loops', () => {
    const chain = new Map<string, string | null>([['b', 'a'], ['c', 'b'], ['a', null]]);
    expect(wouldCycle('a', 'c', chain)).toBe(true);
    expect(wouldCycle('d', 'c', chain)).toBe(false);
  });
});

describe('video watching', () => {
  it('merges replays and clamps to the duration', () => {
    expect(mergeRanges([[10, 20], [0, 5], [4, 12], [90, 130]], 100)).toEqual([[0, 20], [90, 100]]);
    expect(watchedFraction([[0, 20], [90, 100]], 100)).toBe(0.3);
    expect(watchedFraction([[0, 20]], 0)).toBe(0);
  });
});

describe('progress', () => {
  it('counts required items only and points at the next one', () => {
    const items = [
      { id: 'a', required: true },
      { id: 'b', required: false },
      { id: 'c', required: true },
    ];
    const p = courseProgress('data', items, new Set(['a', 'b']), null);
    expect(p).toEqual({ requirement_count: 2, requirement_completed_count: 1, next_requirement_url: '/learn/data/c', completed_at: null });
    expect(percent(p)).toBe(50);
  });
});

describe('slugify', () => {
  it('makes addresses from titles', () => {
    expect(slugify('Español para el trabajo!')).toBe('espanol-para-el-trabajo');
    expect(slugify('  --  ')).toBe('course-new');
  });
});

describe('reserved course addresses', () => {
  it('never gives a course an address that shadows a /teach page', async () => {
    const { CourseSlug } = await import('@/lib/courses/schemas');
    expect(slugify('New')).toBe('new-course');
    expect(slugify('Uploads')).toBe('uploads-course');
    expect(CourseSlug.safeParse('uploads').success).toBe(false);
    expect(CourseSlug.safeParse('new').success).toBe(false);
    expect(CourseSlug.safeParse('new-hires').success).toBe(true);
  });
});

describe('download names', () => {
  it('keeps the stored type and drops bidi tricks', async () => {
    const { downloadName } = await import('@/lib/courses/kinds/uploaded-file');
    expect(downloadName('notes\u202efdp.exe', 't/x/ab/abc.pdf')).toBe('notesfdp.pdf');
    expect(downloadName('Course notes.PDF', 't/x/ab/abc.pdf')).toBe('Course notes.pdf');
    expect(downloadName('slides', 't/x/ab/abc.pptx')).toBe('slides.pptx');
  });
});
