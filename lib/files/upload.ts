import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';
import { schema, type Tx } from '@/db/client';
import type { MemberContext } from '@/lib/auth/context';
import { assertCanAuthor, findCourseById } from '@/lib/courses/permissions';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { objectStore } from '@/lib/storage';
import { contentKey } from '@/lib/storage/store';

/** `submission`: a learner's file for an assignment (the only purpose a learner may upload for). */
export type UploadPurpose = 'cover' | 'video' | 'document' | 'submission';
export const UPLOAD_PURPOSES = ['cover', 'video', 'document', 'submission'] as const satisfies readonly UploadPurpose[];

const MB = 1024 * 1024;

/** What each purpose accepts: real types (by magic bytes) → the extension the stored key gets. */
type Rule = { limit: number; kind: string; allowed: string; types: Record<string, string> };

const OFFICE: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/rtf': 'rtf',
  'application/zip': 'zip',
};

export const UPLOAD_RULES: Record<UploadPurpose, Rule> = {
  cover: {
    limit: 5 * MB,
    kind: 'cover images',
    allowed: 'PNG, JPEG, WebP, GIF',
    types: { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' },
  },
  video: {
    limit: 200 * MB,
    kind: 'videos',
    allowed: 'MP4, WebM, Ogg video',
    types: { 'video/mp4': 'mp4', 'video/webm': 'webm', 'video/ogg': 'ogv' },
  },
  document: {
    limit: 50 * MB,
    kind: 'documents',
    allowed: 'PDF, Word, Excel, PowerPoint, OpenDocument, RTF, ZIP, plain text, CSV, Markdown',
    types: OFFICE,
  },
  submission: {
    limit: 25 * MB,
    kind: 'assignment files',
    allowed: 'PDF, Word, Excel, PowerPoint, OpenDocument, RTF, plain text, CSV, Markdown, PNG, JPEG, WebP, GIF, ZIP, 7z, tar, gzip',
    types: {
      ...OFFICE,
      'image/png': 'png',
      'image/jpeg': 'jpg',
      'image/webp': 'webp',
      'image/gif': 'gif',
      'application/x-7z-compressed': '7z',
      'application/x-tar': 'tar',
      'application/gzip': 'gz',
    },
  },
};

/** The largest file any purpose accepts: the upload route refuses bigger requests before reading them. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(UPLOAD_RULES).map((r) => r.limit));

// Legacy Office files are OLE compound files (file-type says `cfb`, as for .msi): trusted by name only
// after the bytes are shown to be a compound file, and served as attachments.
const LEGACY_OFFICE: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' };
// Plain text has no magic bytes: accepted for documents by name, and only when the bytes are UTF-8 text.
const TEXT: Record<string, string> = { txt: 'text/plain; charset=utf-8', csv: 'text/csv; charset=utf-8', md: 'text/markdown; charset=utf-8' };
// Names that agree with a detected type although the extensions differ.
const ALIASES: Record<string, string[]> = { jpg: ['jpeg', 'jpe'], mp4: ['m4v'], ogv: ['ogg'], ogm: ['ogg', 'ogv'] };

export type StoredUpload = { key: string; contentType: string; size: number; filename: string };

/** A client's file name made safe to keep and show: base name only, no control or bidi characters, ≤ 200 chars. */
export function sanitiseFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().replace(/^\.+/, '');
  if (!clean) return 'file';
  if (clean.length <= 200) return clean;
  const ext = path.extname(clean).slice(0, 16);
  return clean.slice(0, 200 - ext.length) + ext;
}

function extensionOf(filename: string): string {
  return path.extname(filename).slice(1).toLowerCase();
}

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The real type of an upload for a purpose (content type and key extension), or the reason it is refused. */
export async function checkUpload(purpose: UploadPurpose, filename: string, bytes: Buffer): Promise<{ contentType: string; ext: string }> {
  const rule = UPLOAD_RULES[purpose];
  if (bytes.length === 0) throw new DomainError('uploadMissing', {}, 400, 'file');
  if (bytes.length > rule.limit) {
    throw new DomainError('uploadTooBig', { size: (Math.ceil((bytes.length / MB) * 10) / 10).toFixed(1), kind: rule.kind, limit: rule.limit / MB }, 413, 'file');
  }
  const named = extensionOf(filename);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && rule.types[detected.mime]) return { contentType: detected.mime, ext: rule.types[detected.mime]! };
  if (purpose === 'document' || purpose === 'submission') {
    if (detected?.ext === 'cfb' && LEGACY_OFFICE[named]) return { contentType: LEGACY_OFFICE[named], ext: named };
    if (!detected && TEXT[named] && isUtf8Text(bytes)) return { contentType: TEXT[named], ext: named };
  }
  // A type we recognise and its name agrees with: say what it is. Anything else is a disguise or unknown.
  const namedHonestly = detected && (named === detected.ext || ALIASES[detected.ext]?.includes(named));
  if (namedHonestly) throw new DomainError('uploadWrongType', { mime: detected.mime, allowed: rule.allowed }, 415, 'file');
  throw new DomainError('uploadUnknownType', { allowed: rule.allowed }, 415, 'file');
}

/**
 * Refuse early (before the body is read) unless the member may upload to this course of this organisation:
 * its authors for course material, its active learners (published course) for assignment submissions.
 */
export async function assertCanUpload(tx: Tx, ctx: MemberContext, courseId: string, purpose: UploadPurpose = 'document'): Promise<void> {
  if (!z.uuid().safeParse(courseId).success) throw new NotFoundError('courseNotFound');
  if (purpose === 'submission') return assertLearnerOf(tx, ctx, courseId);
  await assertCanAuthor(tx, ctx, courseId); // loads the course under RLS first: not found elsewhere
}

/** A submission file comes from an active learner of a published course of this organisation. */
async function assertLearnerOf(tx: Tx, ctx: MemberContext, courseId: string): Promise<void> {
  const course = await findCourseById(tx, courseId);
  const [enrolment] = await tx
    .select({ id: schema.enrolments.id })
    .from(schema.enrolments)
    .where(and(eq(schema.enrolments.courseId, courseId), eq(schema.enrolments.userId, ctx.user.id), eq(schema.enrolments.status, 'active'), eq(schema.enrolments.role, 'learner')))
    .limit(1);
  if (!enrolment || course.status !== 'published') throw new ForbiddenError('notEnrolled');
}

/**
 * Store a file for a course: only its authors (instructors, org admins) may, or for `submission` its active
 * learners; the size and the real type
 * (magic bytes, not the name) must suit the purpose. The key is content-addressed, so the same bytes
 * uploaded twice are one object and one `files` row.
 */
export async function storeUpload(
  tx: Tx,
  ctx: MemberContext,
  input: { courseId: string; purpose: UploadPurpose; filename: string; bytes: Buffer },
): Promise<StoredUpload> {
  if (!z.uuid().safeParse(input.courseId).success) throw new NotFoundError('courseNotFound');
  // The course must exist in this organisation (RLS): an org admin elsewhere passes assertCanAuthor alone.
  await findCourseById(tx, input.courseId);
  if (input.purpose === 'submission') await assertLearnerOf(tx, ctx, input.courseId);
  else await assertCanAuthor(tx, ctx, input.courseId);
  const filename = sanitiseFilename(input.filename);
  const { contentType, ext } = await checkUpload(input.purpose, filename, input.bytes);
  const { key, sha256 } = contentKey(ctx.tenant.id, input.bytes, ext);
  // Object first, then the row. If the row's transaction fails, the object stays behind unreferenced:
  // harmless (its key is its content, so a retry reuses it) and collectable later; a row without its
  // object would be worse (a broken link).
  const store = objectStore();
  if (!(await store.head(key))) await store.put(key, input.bytes, { contentType });
  await tx
    .insert(schema.files)
    .values({ tenantId: ctx.tenant.id, key, contentType, size: input.bytes.length, sha256 })
    .onConflictDoNothing();
  await tx
    .insert(schema.fileUploads)
    .values({ tenantId: ctx.tenant.id, key, userId: ctx.user.id, purpose: input.purpose, courseId: input.courseId })
    .onConflictDoNothing();
  return { key, contentType, size: input.bytes.length, filename };
}
