import { ValidationError } from '@/lib/errors';
import { ownedFile } from './uploaded-file';
import { defineKind } from './types';
import { parseVideoUrl } from './video-url';

export type VideoContent =
  | { source: 'embed'; provider: 'youtube' | 'vimeo'; videoId: string }
  | { source: 'upload'; fileKey: string; filename: string; contentType: string; size: number; durationSeconds?: number };

/**
 * A video: an uploaded file (counts as complete once ≥ 90 % has been watched) or a YouTube/Vimeo embed
 * from the allow-list (the learner marks it complete: third-party players report nothing we can trust).
 */
export const video = defineKind<VideoContent>({
  kind: 'video',
  async parseContent(raw, { tx, tenantId, previous }) {
    const url = typeof raw.videoUrl === 'string' ? raw.videoUrl.trim() : '';
    if (url) {
      const embed = parseVideoUrl(url);
      if (!embed) throw new ValidationError('videoUrlNotAllowed', { field: 'videoUrl' });
      return { source: 'embed', ...embed };
    }
    const file = await ownedFile(tx, tenantId, raw, (t) => t.startsWith('video/'));
    // The length the author's browser measured when uploading (staff input); kept while the file stays.
    const measured = Number(raw.durationSeconds);
    const kept = previous?.source === 'upload' && previous.fileKey === file.fileKey ? previous.durationSeconds : undefined;
    const durationSeconds = Number.isFinite(measured) && measured > 0 && measured <= 24 * 3600 ? Math.round(measured * 100) / 100 : kept;
    return { source: 'upload', ...file, ...(durationSeconds ? { durationSeconds } : {}) };
  },
  completion: (c) => (c.source === 'upload' ? 'watch' : 'manual'),
  fileKeys: (c) => (c.source === 'upload' ? [c.fileKey] : []),
});
