import { ValidationError } from '@/lib/errors';
import { ownedFile } from './uploaded-file';
import { defineKind } from './types';
import { parseVideoUrl } from './video-url';

export type VideoContent =
  | { source: 'embed'; provider: 'youtube' | 'vimeo'; videoId: string }
  | { source: 'upload'; fileKey: string; filename: string; contentType: string; size: number };

/**
 * A video: an uploaded file (counts as complete once ≥ 90 % has been watched) or a YouTube/Vimeo embed
 * from the allow-list (the learner marks it complete: third-party players report nothing we can trust).
 */
export const video = defineKind<VideoContent>({
  kind: 'video',
  async parseContent(raw, { tx, tenantId }) {
    const url = typeof raw.videoUrl === 'string' ? raw.videoUrl.trim() : '';
    if (url) {
      const embed = parseVideoUrl(url);
      if (!embed) throw new ValidationError('videoUrlNotAllowed', { field: 'videoUrl' });
      return { source: 'embed', ...embed };
    }
    return { source: 'upload', ...(await ownedFile(tx, tenantId, raw, (t) => t.startsWith('video/'))) };
  },
  completion: (c) => (c.source === 'upload' ? 'watch' : 'manual'),
  fileKeys: (c) => (c.source === 'upload' ? [c.fileKey] : []),
});
