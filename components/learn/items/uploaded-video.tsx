'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { mergeRanges, type Range } from '@/lib/learning/video';
import { Icon } from '../icons';
import { ProgressBar } from '../progress-bar';

const REPORT_EVERY_MS = 10_000;
// A timeupdate further than this from the last one is a jump (seek), not playback.
const MAX_STEP_SECONDS = 2;

type Report = { duration: number; ranges: Range[] };

/**
 * An uploaded video that reports which parts were actually played: every 10 s while playing, on pause and
 * end, and (by beacon) when the page is hidden or left. The server keeps the union and completes the item
 * at 90 %; then the page refreshes to show it, without a reload.
 */
export function UploadedVideo({
  src,
  type,
  title,
  trackUrl,
  initialWatched,
  completed: initiallyCompleted,
  preview,
}: {
  src: string;
  type: string;
  title: string;
  trackUrl: string;
  initialWatched: number;
  completed: boolean;
  preview: boolean;
}) {
  const t = useTranslations('player');
  const router = useRouter();
  // A refresh may sign a new URL (they change hourly): the playing element keeps the one it started with.
  const [source] = useState(src);
  const [watched, setWatched] = useState(initialWatched);
  const [completed, setCompleted] = useState(initiallyCompleted);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const pending = useRef<Range[]>([]);
  const segmentStart = useRef<number | null>(null);
  const lastTime = useRef(0);
  const completedRef = useRef(initiallyCompleted);
  const inFlight = useRef<Promise<void>>(Promise.resolve());

  /** End the segment being played at the last position seen. */
  const closeSegment = useCallback(() => {
    const start = segmentStart.current;
    if (start !== null && lastTime.current > start) pending.current.push([start, lastTime.current]);
    segmentStart.current = null;
  }, []);

  /** Everything played since the last report (the open segment is cut and reopened), or null. */
  const takeReport = useCallback((): Report | null => {
    const video = videoRef.current;
    if (!video) return null;
    const playing = !video.paused && !video.ended;
    closeSegment();
    if (playing) segmentStart.current = lastTime.current;
    const duration = video.duration;
    if (!pending.current.length || !Number.isFinite(duration) || duration <= 0) return null;
    const ranges = mergeRanges(pending.current, duration).map(([a, b]): Range => [Math.round(a * 100) / 100, Math.round(b * 100) / 100]);
    pending.current = [];
    return { duration, ranges };
  }, [closeSegment]);

  /** Send one report; `fetch` reports go one at a time, so the server never merges two at once. */
  const send = useCallback(
    async (body: Report) => {
      const json = JSON.stringify(body);
      try {
        const res = await fetch(trackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json, keepalive: true });
        const data = (await res.json().catch(() => ({}))) as { watched?: number; completed?: boolean; error?: string };
        if (!res.ok) {
          setProblem(data.error ?? t('watchNotSaved'));
          return;
        }
        setProblem(null);
        if (typeof data.watched === 'number') setWatched(data.watched);
        if (data.completed && !completedRef.current) {
          completedRef.current = true;
          setCompleted(true);
          setAnnouncement(t('videoCompleted'));
          router.refresh();
        }
      } catch {
        // Offline for a moment: keep what was played and send it with the next report.
        pending.current = [...body.ranges, ...pending.current];
        setProblem(t('watchNotSaved'));
      }
    },
    [trackUrl, router, t],
  );

  const report = useCallback(
    (how: 'fetch' | 'beacon') => {
      // Once complete the item stays complete: nothing more to report.
      if (preview || completedRef.current) return;
      if (how === 'beacon' && typeof navigator.sendBeacon === 'function') {
        const body = takeReport();
        if (body && navigator.sendBeacon(trackUrl, new Blob([JSON.stringify(body)], { type: 'application/json' }))) return;
        if (body) pending.current = [...body.ranges, ...pending.current];
      }
      inFlight.current = inFlight.current.then(() => {
        const body = takeReport();
        return body ? send(body) : undefined;
      });
    },
    [preview, takeReport, trackUrl, send],
  );

  // The listeners below live as long as the player; they call the latest `report`.
  const reportRef = useRef(report);
  useEffect(() => {
    reportRef.current = report;
  }, [report]);

  useEffect(() => {
    if (preview) return;
    const timer = window.setInterval(() => {
      const video = videoRef.current;
      if (video && !video.paused && !video.ended) reportRef.current('fetch');
    }, REPORT_EVERY_MS);
    const onHide = () => reportRef.current('beacon');
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      // Leaving for another item inside the app is not a pagehide: send what is left now.
      onHide();
    };
  }, [preview]);

  const percent = Math.floor(watched * 100);
  return (
    <div className="space-y-3">
      <div className="aspect-video w-full overflow-hidden rounded-xl bg-slate-900 shadow-sm">
        {broken ? (
          <p className="flex size-full items-center justify-center p-6 text-center text-sm text-slate-200">{t('videoError')}</p>
        ) : (
          <video
            ref={videoRef}
            controls
            preload="metadata"
            playsInline
            aria-label={t('videoFrameTitle', { title })}
            className="size-full"
            onPlay={(e) => {
              lastTime.current = e.currentTarget.currentTime;
              segmentStart.current = e.currentTarget.currentTime;
            }}
            onTimeUpdate={(e) => {
              const v = e.currentTarget;
              const now = v.currentTime;
              if (!v.paused && !v.seeking) {
                if (now < lastTime.current || now - lastTime.current > MAX_STEP_SECONDS) {
                  closeSegment();
                  segmentStart.current = now;
                } else if (segmentStart.current === null) {
                  segmentStart.current = lastTime.current;
                }
              }
              lastTime.current = now;
            }}
            onSeeking={(e) => {
              closeSegment();
              lastTime.current = e.currentTarget.currentTime;
            }}
            onPause={() => report('fetch')}
            onEnded={() => report('fetch')}
            onError={() => setBroken(true)}
          >
            <source src={source} type={type} />
          </video>
        )}
      </div>
      {!preview && (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          {completed ? (
            <p className="flex items-center gap-2 font-medium text-green-800">
              <Icon name="check" />
              {t('videoWatchedDone')}
            </p>
          ) : (
            <>
              <p className="font-medium text-slate-800" data-testid="video-watched">
                {t('watched', { percent })}
              </p>
              <div className="w-40">
                <ProgressBar value={percent} label={t('watchedLabel')} className="h-1.5" />
              </div>
              <p className="text-slate-600">{t('watchHint')}</p>
            </>
          )}
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {problem && (
        <p role="alert" className="text-sm text-amber-800">
          {problem}
        </p>
      )}
    </div>
  );
}
