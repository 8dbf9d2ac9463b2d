/**
 * Typography for sanitised rich text (lessons, course descriptions): the editor's tags only
 * (p, h2–h4, lists, links, quotes, code, rules). Links keep body-text contrast whatever the brand colour.
 */
export const PROSE = [
  'max-w-none text-base leading-7 text-slate-800 [&>:first-child]:mt-0 [&>:last-child]:mb-0',
  '[&_p]:my-4 [&_strong]:font-semibold [&_b]:font-semibold',
  '[&_h2]:mt-8 [&_h2]:mb-3 [&_h2]:text-2xl [&_h2]:font-semibold [&_h2]:tracking-tight [&_h2]:text-slate-900',
  '[&_h3]:mt-6 [&_h3]:mb-2 [&_h3]:text-xl [&_h3]:font-semibold [&_h3]:text-slate-900',
  '[&_h4]:mt-5 [&_h4]:mb-2 [&_h4]:font-semibold [&_h4]:text-slate-900',
  '[&_ul]:my-4 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-4 [&_ol]:list-decimal [&_ol]:pl-6 [&_li]:my-1 [&_li]:pl-1',
  '[&_a]:font-medium [&_a]:text-slate-900 [&_a]:underline [&_a]:decoration-brand [&_a]:decoration-2 [&_a]:underline-offset-2 hover:[&_a]:decoration-slate-900',
  '[&_blockquote]:my-5 [&_blockquote]:border-l-4 [&_blockquote]:border-brand/50 [&_blockquote]:pl-4 [&_blockquote]:italic [&_blockquote]:text-slate-700',
  '[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1.5 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[0.875em]',
  '[&_pre]:my-5 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-slate-900 [&_pre]:p-4 [&_pre]:text-sm [&_pre]:leading-6 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_pre_code]:text-inherit',
  '[&_hr]:my-8 [&_hr]:border-slate-200',
].join(' ');
