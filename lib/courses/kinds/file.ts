import { ownedFile } from './uploaded-file';
import { defineKind } from './types';

export type FileContent = { fileKey: string; filename: string; contentType: string; size: number };

/** A downloadable file; PDFs are shown inline in the player. */
export const file = defineKind<FileContent>({
  kind: 'file',
  parseContent: (raw, { tx, tenantId }) => ownedFile(tx, tenantId, raw, () => true),
  completion: () => 'manual',
  fileKeys: (c) => [c.fileKey],
});
