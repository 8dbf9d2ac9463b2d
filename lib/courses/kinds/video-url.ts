export type VideoEmbed = { provider: 'youtube' | 'vimeo'; videoId: string };

const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be', 'www.youtube-nocookie.com', 'youtube-nocookie.com']);
const VIMEO_HOSTS = new Set(['vimeo.com', 'www.vimeo.com', 'player.vimeo.com']);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * A YouTube or Vimeo URL → provider and id, or null for anything else (the allow-list). Only the id is
 * kept: the embed URL is rebuilt from it, so nothing an author types ever reaches an iframe src.
 */
export function parseVideoUrl(input: string): VideoEmbed | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  if (YOUTUBE_HOSTS.has(host)) {
    const parts = url.pathname.split('/').filter(Boolean);
    const id = host === 'youtu.be' ? parts[0] : parts[0] === 'watch' ? url.searchParams.get('v') : ['embed', 'shorts', 'live', 'v'].includes(parts[0] ?? '') ? parts[1] : null;
    return id && YOUTUBE_ID.test(id) ? { provider: 'youtube', videoId: id } : null;
  }
  if (VIMEO_HOSTS.has(host)) {
    const parts = url.pathname.split('/').filter(Boolean);
    const id = host === 'player.vimeo.com' ? (parts[0] === 'video' ? parts[1] : null) : parts.find((p) => /^\d+$/.test(p));
    return id && /^\d{1,12}$/.test(id) ? { provider: 'vimeo', videoId: id } : null;
  }
  return null;
}

/** The iframe src for an allowed embed (privacy-enhanced YouTube host). */
export function embedSrc(v: VideoEmbed): string {
  return v.provider === 'youtube' ? `https://www.youtube-nocookie.com/embed/${v.videoId}?rel=0` : `https://player.vimeo.com/video/${v.videoId}`;
}
