/**
 * Makes the demo files the seed attaches to courses, into db/seed-assets/ (committed; run again only to
 * change them): `npx tsx scripts/make-seed-assets.ts`.
 *
 * - course-notes.pdf: three pages of course text, written out by hand below (valid xref, standard fonts).
 * - intro.webm: an eight-second animation recorded from a canvas with Chromium's MediaRecorder (through
 *   Playwright, with /usr/bin/chromium or PLAYWRIGHT_CHROMIUM_PATH). MediaRecorder writes WebM for live
 *   streaming, without a duration, so players would show no length and no seek bar: the script adds the
 *   Duration element, then checks in Chromium that the video has a finite duration and plays.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const OUT = path.join(import.meta.dirname, '..', 'db', 'seed-assets');
const SECONDS = 8;
const MAX_VIDEO_BYTES = 600 * 1024;

// ---------------------------------------------------------------------------------------------- PDF

const PAGES: { title: string; body: string[] }[] = [
  {
    title: 'Data Literacy 101 - Week 1 notes',
    body: [
      'Welcome to the course. These notes go with the first video and the week one quiz.',
      '',
      'What is data? Data is a record of something that happened or was measured: a sale,',
      'a temperature reading, a click, an answer on a survey. On its own a number means little;',
      'it gains meaning from its context: who collected it, when, how and why.',
      '',
      'Three questions to ask of every data set:',
      '  1. Where did it come from, and who collected it?',
      '  2. What does each row stand for, and what does each column measure?',
      '  3. What is missing, and why might it be missing?',
      '',
      'This week you will open a small spreadsheet of library loans and answer these three',
      'questions about it. Write your answers in a short paragraph each; there are no wrong',
      'answers, only unexplained ones.',
    ],
  },
  {
    title: 'Averages and spread',
    body: [
      'The mean is the sum of the values divided by how many there are. The median is the',
      'middle value once the values are sorted. When a few values are very large (incomes,',
      'house prices, waiting times) the mean is pulled towards them and the median is not.',
      '',
      'Example: five learners finished a module in 2, 3, 3, 4 and 18 days.',
      '  mean   = (2 + 3 + 3 + 4 + 18) / 5 = 6 days',
      '  median = 3 days',
      'Which number would you report to a new learner asking how long the module takes?',
      '',
      'Spread matters as much as the centre. The range (largest minus smallest) is easy to',
      'read but depends on the two most extreme values only. The interquartile range, the',
      'span of the middle half of the data, is steadier.',
    ],
  },
  {
    title: 'Charts that tell the truth',
    body: [
      'A chart is an argument. Before you trust one, check:',
      '  - Does the vertical axis start at zero? If not, is that said clearly?',
      '  - Are the categories in a sensible order, and are any left out?',
      '  - Is the area of each shape in proportion to the number it shows?',
      '',
      'Bar charts compare amounts; line charts show change over time; scatter plots show',
      'how two measures move together. A pie chart only works for a few parts of one whole.',
      '',
      'Assignment for week one: find a chart in the news, say what it claims, and list one',
      'thing it does well and one thing that could mislead a reader. Upload it as a PDF.',
      '',
      'See you in the discussion forum.',
    ],
  },
];

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function pageStream(page: { title: string; body: string[] }, n: number, total: number): string {
  const lines = page.body.map((l, i) => `${i === 0 ? '' : 'T* '}${pdfString(l)} Tj`).join('\n');
  return [
    'BT /F2 20 Tf 72 712 Td',
    `${pdfString(page.title)} Tj ET`,
    '0.3 0.3 0.8 RG 1.5 w 72 700 m 540 700 l S',
    'BT /F1 12 Tf 17 TL 72 670 Td',
    lines,
    'ET',
    'BT /F1 9 Tf 72 40 Td',
    `${pdfString(`Lectern demo course - page ${n} of ${total}`)} Tj ET`,
  ].join('\n');
}

/** A small PDF 1.4 file: catalog, page tree, two standard fonts, one content stream per page, info, xref. */
export function buildPdf(): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) as number; // object number = index + 1
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES'); // filled in below, once the page objects have numbers
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  PAGES.forEach((page, i) => {
    const stream = pageStream(page, i + 1, PAGES.length);
    const contents = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${contents} 0 R >>`));
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const info = add(`<< /Title ${pdfString('Data Literacy 101 - Week 1 notes')} /Author (Lectern) /Producer (scripts/make-seed-assets.ts) >>`);

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// --------------------------------------------------------------------------------------------- WebM

const ID = { Segment: 0x18538067, SeekHead: 0x114d9b74, Info: 0x1549a966, Duration: 0x4489, Cluster: 0x1f43b675, Timecode: 0xe7, SimpleBlock: 0xa3, BlockGroup: 0xa0, Block: 0xa1 };
const LEVEL1 = new Set([0x114d9b74, 0x1549a966, 0x1654ae6b, 0x1f43b675, 0x1c53bb6b, 0x1254c367, 0x1043a770, 0x1941a469]);

type Vint = { value: number; length: number; unknown: boolean };

function readVint(buf: Buffer, pos: number, keepMarker: boolean): Vint {
  const first = buf[pos]!;
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8) throw new Error(`webm: bad variable-length integer at ${pos}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[pos + i]!;
    if (buf[pos + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

type Element = { id: number; start: number; dataStart: number; end: number; sizeLength: number; unknownSize: boolean };

/** The child elements between `from` and `to`; an element of unknown size (live WebM) ends at the next level-1 element. */
function children(buf: Buffer, from: number, to: number): Element[] {
  const out: Element[] = [];
  let pos = from;
  while (pos < to) {
    const id = readVint(buf, pos, true);
    const size = readVint(buf, pos + id.length, false);
    const dataStart = pos + id.length + size.length;
    let end = dataStart + size.value;
    if (size.unknown && id.value === ID.Segment) end = to;
    else if (size.unknown) {
      end = to;
      let p = dataStart;
      while (p < to) {
        const childId = readVint(buf, p, true);
        if (LEVEL1.has(childId.value)) {
          end = p;
          break;
        }
        const childSize = readVint(buf, p + childId.length, false);
        p += childId.length + childSize.length + childSize.value;
      }
    }
    out.push({ id: id.value, start: pos, dataStart, end: Math.min(end, to), sizeLength: size.length, unknownSize: size.unknown });
    pos = end;
  }
  return out;
}

function uint(buf: Buffer, e: Element): number {
  let v = 0;
  for (let i = e.dataStart; i < e.end; i++) v = v * 256 + buf[i]!;
  return v;
}

/** The time (in timecode units, milliseconds here) just after the last frame. */
function lastFrameEnd(buf: Buffer, segment: Element[]): number {
  const times: number[] = [];
  for (const cluster of segment.filter((e) => e.id === ID.Cluster)) {
    const parts = children(buf, cluster.dataStart, cluster.end);
    const base = uint(buf, parts.find((p) => p.id === ID.Timecode)!);
    const blocks = parts.flatMap((p) => (p.id === ID.SimpleBlock ? [p] : p.id === ID.BlockGroup ? children(buf, p.dataStart, p.end).filter((c) => c.id === ID.Block) : []));
    for (const b of blocks) {
      const track = readVint(buf, b.dataStart, false);
      times.push(base + buf.readInt16BE(b.dataStart + track.length));
    }
  }
  if (times.length < 2) throw new Error('webm: no frames recorded');
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const frame = (sorted.at(-1)! - sorted[0]!) / (sorted.length - 1);
  return sorted.at(-1)! + frame;
}

function sizeVint8(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  b[0] = 0x01;
  return b;
}

/** Add Segment/Info/Duration to a WebM that MediaRecorder wrote without one. */
export function withDuration(webm: Buffer): { file: Buffer; durationMs: number } {
  const top = children(webm, 0, webm.length);
  const segment = top.find((e) => e.id === ID.Segment);
  if (!segment) throw new Error('webm: no Segment');
  const level1 = children(webm, segment.dataStart, segment.end);
  // A SeekHead holds byte positions that growing Info would shift; MediaRecorder writes none.
  if (level1.some((e) => e.id === ID.SeekHead)) throw new Error('webm: has a SeekHead; this fixer does not rewrite positions');
  const info = level1.find((e) => e.id === ID.Info);
  if (!info) throw new Error('webm: no Info');
  const durationMs = lastFrameEnd(webm, level1);
  if (children(webm, info.dataStart, info.end).some((e) => e.id === ID.Duration)) return { file: webm, durationMs };

  const duration = Buffer.alloc(11);
  duration.writeUInt16BE(ID.Duration, 0);
  duration[2] = 0x88; // size 8: a 64-bit float
  duration.writeDoubleBE(durationMs, 3);
  const infoData = Buffer.concat([webm.subarray(info.dataStart, info.end), duration]);
  const newInfo = Buffer.concat([webm.subarray(info.start, info.dataStart - info.sizeLength), sizeVint8(infoData.length), infoData]);
  let before = webm.subarray(0, info.start);
  if (!segment.unknownSize) {
    const segSize = segment.end - segment.dataStart + (newInfo.length - (info.end - info.start));
    before = Buffer.concat([webm.subarray(0, segment.dataStart - segment.sizeLength), sizeVint8(segSize), webm.subarray(segment.dataStart, info.start)]);
  }
  return { file: Buffer.concat([before, newInfo, webm.subarray(info.end)]), durationMs };
}

// ------------------------------------------------------------------------------------------- browser

const RECORDER_PAGE = `<!doctype html><html><body style="margin:0;background:#111">
<canvas id="c" width="480" height="270"></canvas></body></html>`;

async function recordVideo(): Promise<Buffer> {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(RECORDER_PAGE);
    // tsx (esbuild keepNames) wraps named functions in __name(); the page has no such helper.
    await page.evaluate('globalThis.__name = (f) => f');
    const base64 = await page.evaluate(async (seconds) => {
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const g = canvas.getContext('2d')!;
      const start = performance.now();
      const draw = () => {
        const t = (performance.now() - start) / 1000;
        const grad = g.createLinearGradient(0, 0, 480, 270);
        grad.addColorStop(0, '#312e81');
        grad.addColorStop(1, '#0f766e');
        g.fillStyle = grad;
        g.fillRect(0, 0, 480, 270);
        g.fillStyle = 'rgba(255,255,255,0.9)';
        g.beginPath();
        g.arc(240 + 170 * Math.cos(t * 1.3), 150 + 60 * Math.sin(t * 2.1), 22, 0, Math.PI * 2);
        g.fill();
        g.font = 'bold 30px sans-serif';
        g.textAlign = 'center';
        g.fillText('Welcome to Lectern', 240, 60);
        g.font = '18px sans-serif';
        g.fillText(`Data Literacy 101 · ${Math.min(t, seconds).toFixed(1)} s`, 240, 92);
        g.fillStyle = 'rgba(255,255,255,0.35)';
        g.fillRect(40, 240, 400, 8);
        g.fillStyle = '#fbbf24';
        g.fillRect(40, 240, (400 * Math.min(t, seconds)) / seconds, 8);
      };
      draw();
      const stream = canvas.captureStream(25);
      const mimeType = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((m) => MediaRecorder.isTypeSupported(m))!;
      const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 350_000 });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      const stopped = new Promise((r) => (recorder.onstop = r));
      recorder.start(500);
      const timer = setInterval(draw, 40);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      recorder.stop();
      await stopped;
      clearInterval(timer);
      const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }, SECONDS);
    return Buffer.from(base64, 'base64');
  } finally {
    await browser.close();
  }
}

/** Load the file in Chromium's <video>: it must report a finite duration and play. */
async function checkVideoPlays(file: Buffer): Promise<{ duration: number; playedTo: number }> {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><video id="v" muted playsinline></video>');
    await page.evaluate('globalThis.__name = (f) => f');
    return await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const v = document.getElementById('v') as HTMLVideoElement;
      v.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
      await new Promise((resolve, reject) => {
        v.onloadedmetadata = resolve;
        v.onerror = () => reject(new Error(`video error ${v.error?.code}`));
      });
      const duration = v.duration;
      await v.play();
      await new Promise((r) => setTimeout(r, 1500));
      v.pause();
      return { duration, playedTo: v.currentTime };
    }, file.toString('base64'));
  } finally {
    await browser.close();
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const pdf = buildPdf();
  writeFileSync(path.join(OUT, 'course-notes.pdf'), pdf);
  console.log(`course-notes.pdf: ${pdf.length} bytes, ${PAGES.length} pages`);

  const recorded = await recordVideo();
  const { file, durationMs } = withDuration(recorded);
  if (file.length > MAX_VIDEO_BYTES) throw new Error(`intro.webm is ${file.length} bytes; lower videoBitsPerSecond`);
  const check = await checkVideoPlays(file);
  if (!Number.isFinite(check.duration) || check.duration < SECONDS - 1.5 || check.duration > SECONDS + 1.5) throw new Error(`intro.webm: Chromium reports duration ${check.duration}`);
  if (check.playedTo < 0.5) throw new Error(`intro.webm did not play (currentTime ${check.playedTo})`);
  writeFileSync(path.join(OUT, 'intro.webm'), file);
  console.log(`intro.webm: ${file.length} bytes, duration ${(durationMs / 1000).toFixed(2)} s (Chromium: ${check.duration.toFixed(2)} s, played to ${check.playedTo.toFixed(2)} s)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
