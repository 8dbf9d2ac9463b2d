import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema, withTenant } from '@/db/client';
import type { MemberContext, TenantRef } from '@/lib/auth/context';
import { storeUpload, type UploadPurpose } from '@/lib/files/upload';
import { objectStore } from '@/lib/storage';
import { addMember, makeOrg, type Org } from '../support/factories';
import { PNG_1x1 } from '../support/images';
import { ownerSql } from '../support/owner';

// The object store is the local directory store, in a folder of this file's own.
const filesDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-uploads-test-'));
process.env.FILES_STORE = 'local';
process.env.FILES_DIR = filesDir;

const ASSETS = path.join(import.meta.dirname, '..', '..', 'db', 'seed-assets');
const PDF = readFileSync(path.join(ASSETS, 'course-notes.pdf'));
const WEBM = readFileSync(path.join(ASSETS, 'intro.webm'));
/** The start of a Windows executable: file-type knows it by its "MZ" signature. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(512)]);
const MB = 1024 * 1024;

const owner = ownerSql();
let acme: Org;
let globex: Org;
let courseId: string;
let otherCourseId: string;
let instructor: MemberContext;
let otherInstructor: MemberContext;
let orgInstructor: MemberContext;
let learner: MemberContext;

async function makeCourse(tenant: TenantRef, slug: string): Promise<string> {
  return withTenant(tenant.id, async (tx) => {
    const [c] = await tx.insert(schema.courses).values({ tenantId: tenant.id, slug, title: slug }).returning({ id: schema.courses.id });
    return c!.id;
  });
}

async function enrol(ctx: MemberContext, course: string, role: 'learner' | 'ta' | 'instructor') {
  await withTenant(ctx.tenant.id, (tx) => tx.insert(schema.enrolments).values({ tenantId: ctx.tenant.id, courseId: course, userId: ctx.user.id, role, enrolledAt: new Date() }));
}

function upload(ctx: MemberContext, purpose: UploadPurpose, filename: string, bytes: Buffer, course = courseId) {
  return withTenant(ctx.tenant.id, (tx) => storeUpload(tx, ctx, { courseId: course, purpose, filename, bytes }));
}

async function fileRows(tenantId: string) {
  return owner`select key, content_type, size, sha256 from files where tenant_id = ${tenantId} order by created_at`;
}

beforeAll(async () => {
  acme = await makeOrg('acme');
  globex = await makeOrg('globex');
  courseId = await makeCourse(acme.tenant, 'data-literacy');
  otherCourseId = await makeCourse(acme.tenant, 'statistics');
  instructor = await addMember(acme.tenant, 'instructor');
  await enrol(instructor, courseId, 'instructor');
  otherInstructor = await addMember(acme.tenant, 'instructor');
  await enrol(otherInstructor, otherCourseId, 'instructor');
  orgInstructor = await addMember(acme.tenant, 'instructor');
  learner = await addMember(acme.tenant, 'learner');
  await enrol(learner, courseId, 'learner');
});
afterAll(async () => {
  await owner.end();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('storeUpload: what is accepted', () => {
  it('stores a PNG cover, a PDF document and a WebM video under content keys, with a files row each', async () => {
    const cover = await upload(instructor, 'cover', 'cover.png', PNG_1x1);
    expect(cover).toEqual({ key: expect.stringMatching(new RegExp(`^t/${acme.tenant.id}/[0-9a-f]{2}/[0-9a-f]{64}\\.png$`)), contentType: 'image/png', size: PNG_1x1.length, filename: 'cover.png' });
    const notes = await upload(instructor, 'document', 'Week 1 notes.pdf', PDF);
    expect(notes).toMatchObject({ contentType: 'application/pdf', size: PDF.length, filename: 'Week 1 notes.pdf' });
    expect(notes.key).toMatch(/\.pdf$/);
    const video = await upload(acme.owner, 'video', 'intro.webm', WEBM);
    expect(video).toMatchObject({ contentType: 'video/webm', size: WEBM.length });
    expect(video.key).toMatch(/\.webm$/);

    const rows = await fileRows(acme.tenant.id);
    expect(rows.map((r) => [r.key, r.content_type, Number(r.size)])).toEqual([
      [cover.key, 'image/png', PNG_1x1.length],
      [notes.key, 'application/pdf', PDF.length],
      [video.key, 'video/webm', WEBM.length],
    ]);
    const stored = await objectStore().get(notes.key);
    expect(stored?.contentType).toBe('application/pdf');
    expect(stored?.body.equals(PDF)).toBe(true);
  });

  it('accepts UTF-8 text, CSV and Markdown as documents by name, and nothing else without magic bytes', async () => {
    const csv = await upload(instructor, 'document', 'grades.csv', Buffer.from('name,score\nAda,91\nZoë,88\n'));
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect((await upload(instructor, 'document', 'README.md', Buffer.from('# Week 1\n'))).contentType).toBe('text/markdown; charset=utf-8');
    // Not UTF-8 (Latin-1 bytes), a text name the document rule does not know, text as a cover:
    await expect(upload(instructor, 'document', 'notes.txt', Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'))).rejects.toMatchObject({ code: 'uploadUnknownType', status: 415 });
    await expect(upload(instructor, 'document', 'page.html', Buffer.from('<script>alert(1)</script>'))).rejects.toMatchObject({ code: 'uploadUnknownType' });
    await expect(upload(instructor, 'cover', 'notes.txt', Buffer.from('hello'))).rejects.toMatchObject({ code: 'uploadUnknownType' });
  });

  it('keeps only a safe base name of the file name', async () => {
    const stored = await upload(instructor, 'document', '../../etc/\u202Efdp.exe\u0007 Lecture\tnotes.pdf', PDF);
    expect(stored.filename).toBe('fdp.exe Lecturenotes.pdf');
    expect((await upload(instructor, 'document', `C:\\Users\\ada\\${'x'.repeat(300)}.pdf`, PDF)).filename).toBe(`${'x'.repeat(196)}.pdf`);
  });
});

describe('storeUpload: what is refused', () => {
  it('refuses a file over the purpose limit before looking at it', async () => {
    const big = Buffer.concat([PNG_1x1, Buffer.alloc(5 * MB)]);
    await expect(upload(instructor, 'cover', 'huge.png', big)).rejects.toMatchObject({ code: 'uploadTooBig', status: 413, params: { size: '5.1', kind: 'cover images', limit: 5 } });
    await expect(upload(instructor, 'document', 'huge.pdf', Buffer.concat([PDF, Buffer.alloc(50 * MB)]))).rejects.toMatchObject({ code: 'uploadTooBig', params: { limit: 50 } });
    await expect(upload(instructor, 'document', 'empty.pdf', Buffer.alloc(0))).rejects.toMatchObject({ code: 'uploadMissing' });
  });

  it('judges by content: an executable renamed .pdf is not a PDF', async () => {
    await expect(upload(instructor, 'document', 'syllabus.pdf', EXE)).rejects.toMatchObject({ code: 'uploadUnknownType', status: 415 });
    await expect(upload(instructor, 'cover', 'photo.png', EXE)).rejects.toMatchObject({ code: 'uploadUnknownType' });
    // Named honestly, it is told apart: a real type, just not one allowed here.
    await expect(upload(instructor, 'document', 'setup.exe', EXE)).rejects.toMatchObject({ code: 'uploadWrongType', params: { mime: 'application/x-msdownload' } });
  });

  it('refuses a real file of a type the purpose does not take', async () => {
    await expect(upload(instructor, 'cover', 'notes.pdf', PDF)).rejects.toMatchObject({ code: 'uploadWrongType', status: 415, params: { mime: 'application/pdf', allowed: 'PNG, JPEG, WebP, GIF' } });
    await expect(upload(instructor, 'video', 'cover.png', PNG_1x1)).rejects.toMatchObject({ code: 'uploadWrongType', params: { mime: 'image/png' } });
    await expect(upload(instructor, 'document', 'intro.webm', WEBM)).rejects.toMatchObject({ code: 'uploadWrongType', params: { mime: 'video/webm' } });
  });
});

describe('storeUpload: content-addressed keys', () => {
  it('gives the same bytes the same key and one row, and changed bytes a new key', async () => {
    const a = await upload(instructor, 'document', 'a.pdf', PDF);
    const again = await upload(acme.owner, 'document', 'renamed.pdf', PDF);
    expect(again.key).toBe(a.key);
    expect(again.filename).toBe('renamed.pdf');
    const changed = Buffer.concat([PDF, Buffer.from('% revised\n')]);
    const b = await upload(instructor, 'document', 'a.pdf', changed);
    expect(b.key).not.toBe(a.key);
    const rows = await owner`select key from files where tenant_id = ${acme.tenant.id} and key in ${owner([a.key, b.key])}`;
    expect(rows).toHaveLength(2);
  });
});

describe('storeUpload: who may upload', () => {
  it('refuses a learner of the course, an instructor of another course and an org instructor without the course', async () => {
    for (const who of [learner, otherInstructor, orgInstructor]) {
      await expect(upload(who, 'cover', 'cover.png', PNG_1x1), who.user.email).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    }
    // The instructor of the other course may upload to their own.
    await expect(upload(otherInstructor, 'cover', 'cover.png', PNG_1x1, otherCourseId)).resolves.toMatchObject({ contentType: 'image/png' });
  });

  it('does not let another organisation, even its owner, upload to this course id', async () => {
    const bytes = Buffer.concat([PDF, Buffer.from('% globex\n')]);
    await expect(upload(globex.owner, 'document', 'x.pdf', bytes, courseId)).rejects.toMatchObject({ code: 'courseNotFound', status: 404 });
    await expect(upload(globex.owner, 'document', 'x.pdf', bytes, 'not-a-uuid')).rejects.toMatchObject({ code: 'courseNotFound' });
    expect(await fileRows(globex.tenant.id)).toEqual([]);
    // A context claiming acme's tenant but run inside globex's transaction still finds no course (RLS).
    const forged = { ...globex.owner, tenant: acme.tenant };
    await expect(withTenant(globex.tenant.id, (tx) => storeUpload(tx, forged, { courseId, purpose: 'document', filename: 'x.pdf', bytes }))).rejects.toMatchObject({ code: 'courseNotFound' });
  });

  it('stores nothing for a refused upload', async () => {
    const bytes = Buffer.concat([PNG_1x1, Buffer.from('learner')]);
    await expect(upload(learner, 'cover', 'c.png', bytes)).rejects.toMatchObject({ code: 'forbidden' });
    const rows = await owner`select 1 from files where sha256 = encode(sha256(${bytes}::bytea), 'hex')`;
    expect(rows).toHaveLength(0);
  });
});
