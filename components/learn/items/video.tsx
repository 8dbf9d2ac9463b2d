import { getTranslations } from 'next-intl/server';
import type { VideoContent } from '@/lib/courses/kinds/video';
import { embedSrc } from '@/lib/courses/kinds/video-url';
import { fileUrl } from '@/lib/files/urls';
import type { ItemViewProps } from './types';
import { UploadedVideo } from './uploaded-video';

// Ids were checked against the provider's pattern when the item was saved; checked again before use.
const SAFE_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A video: YouTube/Vimeo in a sandboxed iframe (the learner marks it complete), or an uploaded file in
 * <video>, which reports what was watched and completes itself at 90 %.
 */
export async function VideoItem({ tenant, courseSlug, item, content, watched, preview }: ItemViewProps) {
  const t = await getTranslations('player');
  const video = content as VideoContent;
  if (video.source === 'embed') {
    if ((video.provider !== 'youtube' && video.provider !== 'vimeo') || !SAFE_ID.test(video.videoId)) return <p className="text-slate-600">{t('videoUnavailable')}</p>;
    return (
      <div className="aspect-video w-full overflow-hidden rounded-xl bg-slate-900 shadow-sm">
        <iframe
          src={embedSrc({ provider: video.provider, videoId: video.videoId })}
          title={t('videoFrameTitle', { title: item.title })}
          className="size-full"
          loading="lazy"
          allow="accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen"
          referrerPolicy="strict-origin-when-cross-origin"
          sandbox="allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"
        />
      </div>
    );
  }
  const src = fileUrl(tenant, video.fileKey, { filename: video.filename, disposition: 'inline' });
  return (
    <UploadedVideo
      src={src}
      type={video.contentType}
      title={item.title}
      trackUrl={`/learn/${encodeURIComponent(courseSlug)}/${item.id}/watch`}
      initialWatched={watched}
      completed={item.completed}
      preview={preview}
    />
  );
}
