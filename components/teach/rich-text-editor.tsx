'use client';

import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useTranslations } from 'next-intl';
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { richTextClass } from './rich-text-class';

type Tool = { key: string; label: string; shortcut?: string; icon: ReactNode; active: boolean; run: () => void };

/**
 * The rich-text editor for course descriptions and lessons (Tiptap). What it produces is what the server's
 * sanitiser allows (headings 2–3, emphasis, lists, links, quotes, code); the HTML travels in a hidden input
 * named `name`, so it submits with its form like any other field. The server sanitises it again.
 */
export function RichTextEditor({
  name,
  label,
  initialHtml,
  hint,
  error,
  minHeight = 'min-h-40',
}: {
  name: string;
  label: string;
  initialHtml: string;
  hint?: string;
  error?: string;
  minHeight?: string;
}) {
  const t = useTranslations('teach.editor');
  const id = useId();
  const labelId = `${id}-label`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const [html, setHtml] = useState(initialHtml);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        link: {
          openOnClick: false,
          autolink: true,
          defaultProtocol: 'https',
          // The sanitiser keeps http(s) and mailto links only; refuse anything else while typing.
          isAllowedUri: (url, ctx) => /^(https?:|mailto:)/i.test(url) && ctx.defaultValidate(url),
        },
      }),
    ],
    content: initialHtml,
    // Rendered on the server first: create the editor after hydration.
    immediatelyRender: false,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': 'true' } : {}),
        class: `${richTextClass} ${minHeight} px-3 py-2 focus:outline-none`,
      },
    },
    onUpdate: ({ editor: e }) => setHtml(e.isEmpty ? '' : e.getHTML()),
  });

  return (
    <div>
      <p id={labelId} className="block text-sm font-medium text-slate-800">
        {label}
      </p>
      <div
        className={`mt-1 rounded-md border bg-white shadow-sm focus-within:border-brand focus-within:ring-2 focus-within:ring-brand/20 ${error ? 'border-red-600' : 'border-slate-300'}`}
      >
        <Toolbar editor={editor} label={t('toolbar', { field: label })} />
        {editor ? (
          <EditorContent editor={editor} />
        ) : (
          // Before hydration: a box of the same size, so the page does not jump when the editor mounts.
          <div className={`${richTextClass} ${minHeight} px-3 py-2 text-slate-500`}>{t('loading')}</div>
        )}
      </div>
      <input type="hidden" name={name} value={html} />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A toolbar in the ARIA sense: one tab stop, arrow keys move between its buttons. */
function Toolbar({ editor, label }: { editor: Editor | null; label: string }) {
  const t = useTranslations('teach.editor');
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            bold: e.isActive('bold'),
            italic: e.isActive('italic'),
            h2: e.isActive('heading', { level: 2 }),
            h3: e.isActive('heading', { level: 3 }),
            bullet: e.isActive('bulletList'),
            ordered: e.isActive('orderedList'),
            link: e.isActive('link'),
            quote: e.isActive('blockquote'),
            code: e.isActive('code'),
          }
        : null,
  });
  const chain = () => editor!.chain().focus();
  const tools: Tool[] = [
    { key: 'bold', label: t('bold'), shortcut: 'Ctrl+B', icon: <b>B</b>, active: !!state?.bold, run: () => chain().toggleBold().run() },
    { key: 'italic', label: t('italic'), shortcut: 'Ctrl+I', icon: <i className="font-serif">I</i>, active: !!state?.italic, run: () => chain().toggleItalic().run() },
    { key: 'h2', label: t('heading2'), shortcut: 'Ctrl+Alt+2', icon: <span>H2</span>, active: !!state?.h2, run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'h3', label: t('heading3'), shortcut: 'Ctrl+Alt+3', icon: <span>H3</span>, active: !!state?.h3, run: () => chain().toggleHeading({ level: 3 }).run() },
    { key: 'bullet', label: t('bulletList'), shortcut: 'Ctrl+Shift+8', icon: <ListIcon />, active: !!state?.bullet, run: () => chain().toggleBulletList().run() },
    { key: 'ordered', label: t('orderedList'), shortcut: 'Ctrl+Shift+7', icon: <OrderedListIcon />, active: !!state?.ordered, run: () => chain().toggleOrderedList().run() },
    { key: 'link', label: t('link'), icon: <LinkIcon />, active: !!state?.link || linkOpen, run: () => setLinkOpen((o) => !o) },
    { key: 'quote', label: t('blockquote'), shortcut: 'Ctrl+Shift+B', icon: <span className="text-base leading-none">“</span>, active: !!state?.quote, run: () => chain().toggleBlockquote().run() },
    { key: 'code', label: t('code'), shortcut: 'Ctrl+E', icon: <span className="font-mono text-xs">{'</>'}</span>, active: !!state?.code, run: () => chain().toggleCode().run() },
  ];

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const last = tools.length - 1;
    const next = e.key === 'ArrowRight' ? (focusIndex === last ? 0 : focusIndex + 1) : e.key === 'ArrowLeft' ? (focusIndex === 0 ? last : focusIndex - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  }

  return (
    <>
      <div role="toolbar" aria-label={label} onKeyDown={onKeyDown} className="flex flex-wrap items-center gap-0.5 border-b border-slate-200 px-1.5 py-1">
        {tools.map((tool, i) => (
          <button
            key={tool.key}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            tabIndex={i === focusIndex ? 0 : -1}
            disabled={!editor}
            aria-pressed={tool.active}
            aria-label={tool.label}
            title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
            onFocus={() => setFocusIndex(i)}
            onClick={tool.run}
            className={`inline-flex size-8 items-center justify-center rounded text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-50 ${tool.active ? 'bg-slate-200 text-slate-950' : ''} ${tool.key === 'h2' || tool.key === 'bullet' || tool.key === 'link' ? 'ml-1.5' : ''}`}
          >
            {tool.icon}
          </button>
        ))}
      </div>
      {linkOpen && editor && <LinkBar editor={editor} onClose={() => setLinkOpen(false)} />}
    </>
  );
}

/** Add, change or remove the link on the selection, without leaving the page for a browser prompt. */
function LinkBar({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const t = useTranslations('teach.editor');
  const id = useId();
  const current = (editor.getAttributes('link').href as string | undefined) ?? '';
  const [href, setHref] = useState(current);
  const [invalid, setInvalid] = useState(false);
  function apply() {
    const value = href.trim();
    if (!value) {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      onClose();
      return;
    }
    const url = /^(https?:|mailto:)/i.test(value) ? value : `https://${value}`;
    if (!/^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(url)) {
      setInvalid(true);
      return;
    }
    const chain = editor.chain().focus().extendMarkRange('link');
    // With nothing selected, insert the address itself as the link text.
    if (editor.state.selection.empty && !editor.isActive('link')) chain.insertContent({ type: 'text', text: value, marks: [{ type: 'link', attrs: { href: url } }] }).run();
    else chain.setLink({ href: url }).run();
    onClose();
  }
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 py-2">
      <label htmlFor={`${id}-href`} className="text-xs font-medium text-slate-700">
        {t('linkAddress')}
      </label>
      <input
        id={`${id}-href`}
        type="url"
        autoFocus
        value={href}
        placeholder="https://"
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-err` : undefined}
        onChange={(e) => {
          setHref(e.target.value);
          setInvalid(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            apply();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
            editor.commands.focus();
          }
        }}
        className="min-w-48 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
      />
      <button type="button" onClick={apply} className="rounded bg-slate-800 px-2.5 py-1 text-xs font-semibold text-white hover:bg-slate-700">
        {t('linkApply')}
      </button>
      {current && (
        <button
          type="button"
          onClick={() => {
            editor.chain().focus().extendMarkRange('link').unsetLink().run();
            onClose();
          }}
          className="rounded px-2.5 py-1 text-xs font-semibold text-red-700 hover:bg-red-50"
        >
          {t('linkRemove')}
        </button>
      )}
      <button
        type="button"
        onClick={() => {
          onClose();
          editor.commands.focus();
        }}
        className="rounded px-2.5 py-1 text-xs font-semibold text-slate-700 hover:bg-slate-200"
      >
        {t('linkCancel')}
      </button>
      {invalid && (
        <p id={`${id}-err`} role="alert" className="w-full text-xs text-red-700">
          {t('linkInvalid')}
        </p>
      )}
    </div>
  );
}

function ListIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden>
      <circle cx="4" cy="5" r="1.5" />
      <circle cx="4" cy="10" r="1.5" />
      <circle cx="4" cy="15" r="1.5" />
      <rect x="8" y="4" width="10" height="2" rx="1" />
      <rect x="8" y="9" width="10" height="2" rx="1" />
      <rect x="8" y="14" width="10" height="2" rx="1" />
    </svg>
  );
}

function OrderedListIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" aria-hidden>
      <g fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M3 3.6 4.2 3v4" />
        <path d="M2.7 10.4q1.4-1.1 2.3-.1.6.8-2.3 3.3h2.5" />
        <path d="M2.7 15.3h2.3l-1.2 1.4q1.5.2 1.2 1.4-.6 1-2.3.4" />
      </g>
      <g fill="currentColor">
        <rect x="8" y="4" width="10" height="2" rx="1" />
        <rect x="8" y="10" width="10" height="2" rx="1" />
        <rect x="8" y="16" width="10" height="2" rx="1" />
      </g>
    </svg>
  );
}

function LinkIcon() {
  return (
    <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
      <path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l2.5-2.5a3.5 3.5 0 0 0-5-5L10 5" strokeLinecap="round" />
      <path d="M11.5 8.5a3.5 3.5 0 0 0-5 0L4 11a3.5 3.5 0 0 0 5 5l1-1" strokeLinecap="round" />
    </svg>
  );
}
