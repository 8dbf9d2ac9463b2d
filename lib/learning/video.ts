export type Range = [number, number];

/** A video counts as watched once this share of it has actually been played. */
export const WATCHED_THRESHOLD = 0.9;
export const MAX_DURATION_SECONDS = 24 * 3600;

/** Union of played ranges, clamped to [0, duration], sorted and merged (so replaying never counts twice). */
export function mergeRanges(ranges: Range[], duration: number): Range[] {
  const clean = ranges
    .map(([a, b]): Range => [Math.max(0, Math.min(a, b)), Math.min(duration, Math.max(a, b))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  for (const r of clean) {
    const last = out[out.length - 1];
    // Gaps under half a second come from timeupdate granularity, not skipping.
    if (last && r[0] <= last[1] + 0.5) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/**
 * Watched time cannot outrun the clock: at most this many seconds of video per second since the learner
 * started, plus a little slack, so a forged report cannot complete a video instantly.
 */
export const MAX_PLAYBACK_RATE = 4;
export const WATCH_SLACK_SECONDS = 30;

export function watchedSeconds(ranges: Range[]): number {
  return ranges.reduce((s, [a, b]) => s + (b - a), 0);
}

export function watchedFraction(ranges: Range[], duration: number): number {
  if (!(duration > 0)) return 0;
  return Math.min(1, ranges.reduce((s, [a, b]) => s + (b - a), 0) / duration);
}
