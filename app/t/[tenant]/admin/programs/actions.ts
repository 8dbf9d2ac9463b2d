'use server';

import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { memberAction } from '@/lib/auth/action';
import { refusalsAsState } from '@/lib/certificates/errors';
import {
  addProgramCourse,
  createProgram,
  MoveCourseInput,
  moveProgramCourse,
  NewProgramInput,
  ProgramCourseInput,
  ProgramInput,
  removeProgramCourse,
  setProgramStatus,
  updateProgram,
} from '@/lib/programs/service';

/** A new draft program from its title; the client then opens it (tenant hosts navigate on the client). */
export const createProgramAction = memberAction({ role: 'admin', input: NewProgramInput }, async (tx, ctx, input) => {
  const program = await createProgram(tx, ctx, input);
  return { ok: true, data: { redirectTo: `/admin/programs/${program.id}?created=1` } };
});

export const updateProgramAction = memberAction({ role: 'admin', input: ProgramInput.extend({ programId: z.string() }) }, (tx, ctx, { programId, ...input }) =>
  refusalsAsState(
    tx,
    async (sp) => {
      await updateProgram(sp, ctx, programId, input);
      return { ok: true, message: (await getTranslations('programs.edit'))('saved') };
    },
    input,
  ),
);

export const setProgramStatusAction = memberAction({ role: 'admin', input: z.object({ programId: z.string(), status: z.enum(['draft', 'published', 'archived']) }) }, (tx, ctx, input) =>
  refusalsAsState(tx, async (sp) => {
    await setProgramStatus(sp, ctx, input.programId, input.status);
    return { ok: true, message: (await getTranslations('programs.status'))(`done.${input.status}`) };
  }),
);

export const addProgramCourseAction = memberAction({ role: 'admin', input: ProgramCourseInput }, (tx, ctx, input) =>
  refusalsAsState(tx, async (sp) => {
    await addProgramCourse(sp, ctx, input);
    return { ok: true, message: (await getTranslations('programs.courses'))('added') };
  }),
);

export const removeProgramCourseAction = memberAction({ role: 'admin', input: ProgramCourseInput.extend({ title: z.string().max(200).default('') }) }, (tx, ctx, input) =>
  refusalsAsState(tx, async (sp) => {
    await removeProgramCourse(sp, ctx, input);
    return { ok: true, message: (await getTranslations('programs.courses'))('removed', { title: input.title }) };
  }),
);

export const moveProgramCourseAction = memberAction({ role: 'admin', input: MoveCourseInput.extend({ title: z.string().max(200).default('') }) }, (tx, ctx, input) =>
  refusalsAsState(tx, async (sp) => {
    await moveProgramCourse(sp, ctx, input);
    return { ok: true, message: (await getTranslations('programs.courses'))(input.direction === 'up' ? 'movedUp' : 'movedDown', { title: input.title }) };
  }),
);
