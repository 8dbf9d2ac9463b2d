/** Canvas-style course progress for one learner (what the player, learner home and the API report). */
export type CourseProgress = {
  requirement_count: number;
  requirement_completed_count: number;
  next_requirement_url: string | null;
  completed_at: string | null;
};

type ItemLike = { id: string; required: boolean };

export function itemHref(courseSlug: string, itemId: string): string {
  return `/learn/${courseSlug}/${itemId}`;
}

/** Progress from the outline in reading order and the set of completed item ids. */
export function courseProgress(courseSlug: string, items: ItemLike[], completed: ReadonlySet<string>, completedAt: Date | null): CourseProgress {
  const required = items.filter((i) => i.required);
  const next = required.find((i) => !completed.has(i.id));
  return {
    requirement_count: required.length,
    requirement_completed_count: required.filter((i) => completed.has(i.id)).length,
    next_requirement_url: next ? itemHref(courseSlug, next.id) : null,
    completed_at: completedAt ? completedAt.toISOString() : null,
  };
}

export function percent(p: Pick<CourseProgress, 'requirement_count' | 'requirement_completed_count'>): number {
  return p.requirement_count ? Math.round((100 * p.requirement_completed_count) / p.requirement_count) : 0;
}
