'use server';

import { getTranslations } from 'next-intl/server';
import { memberAction } from '@/lib/auth/action';
import { refusalsAsState } from '@/lib/certificates/errors';
import { ReinstateInput, reinstateCertificate, RevokeInput, revokeCertificate } from '@/lib/certificates/service';

export const revokeCertificateAction = memberAction({ role: 'admin', input: RevokeInput.extend({ code: RevokeInput.shape.certificateId }) }, (tx, ctx, input) =>
  refusalsAsState(
    tx,
    async (sp) => {
      await revokeCertificate(sp, ctx, input);
      return { ok: true, message: (await getTranslations('certificates.admin'))('revokeDone', { code: input.code }) };
    },
    input,
  ),
);

export const reinstateCertificateAction = memberAction({ role: 'admin', input: ReinstateInput.extend({ code: ReinstateInput.shape.certificateId }) }, (tx, ctx, input) =>
  refusalsAsState(tx, async (sp) => {
    await reinstateCertificate(sp, ctx, input);
    return { ok: true, message: (await getTranslations('certificates.admin'))('reinstateDone', { code: input.code }) };
  }),
);
