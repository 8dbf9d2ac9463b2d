import { getFormatter, getTranslations } from 'next-intl/server';
import type { FileContent } from '@/lib/courses/kinds/file';
import { fileUrl } from '@/lib/files/urls';
import { buttonClass } from '@/components/ui/button';
import { formatBytes } from '../format';
import { Icon } from '../icons';
import type { ItemViewProps } from './types';

/** A file: PDFs are shown inline with a download link; anything else is a download with its name and size. */
export async function FileItem({ tenant, item, content }: ItemViewProps) {
  const [t, format] = await Promise.all([getTranslations('player'), getFormatter()]);
  const file = content as FileContent;
  const type = file.contentType.split(';')[0]!.trim().toLowerCase();
  const download = fileUrl(tenant, file.fileKey, { filename: file.filename, disposition: 'attachment' });
  const size = formatBytes(format, file.size);
  const downloadButton = (
    <a href={download} download={file.filename} className={buttonClass('secondary')}>
      <Icon name="download" />
      {t('download')}
      <span className="sr-only">
        {' '}
        {file.filename} ({size})
      </span>
    </a>
  );
  const fileLine = (
    <div className="flex min-w-0 items-center gap-3">
      <span className="flex size-10 items-center justify-center rounded-lg bg-slate-100 text-slate-600">
        <Icon name="file" className="size-5" />
      </span>
      <div className="min-w-0">
        <p className="truncate font-medium text-slate-900">{file.filename}</p>
        <p className="text-sm text-slate-600">{size}</p>
      </div>
    </div>
  );
  if (type === 'application/pdf') {
    const inline = fileUrl(tenant, file.fileKey, { filename: file.filename, disposition: 'inline' });
    return (
      <div className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-3">
          {fileLine}
          {downloadButton}
        </div>
        <iframe src={inline} title={t('pdfTitle', { title: item.title })} className="h-[75vh] min-h-[28rem] w-full rounded-lg border border-slate-200 bg-slate-100" />
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center justify-between gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      {fileLine}
      {downloadButton}
    </div>
  );
}
