import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { CASH_ASSET } from '../../common/money/amount-format';
import type { Dec } from '../../common/money/decimal';
import { type AssetStatement, type Statement, eventLabel, periodLastDay, printedAmount, printedDay, printedTime, printedUsd } from './statement';

/**
 * The statement as a PDF (pdfkit), streamed as it is written: A4, DejaVu Sans (embedded, subset: it covers Latin,
 * Greek, Cyrillic and the signs descriptions use, such as "≈"; a character it lacks is printed as "?"), a page number
 * on every page. pdfkit is loaded on the first statement (it is left out of the server bundle, see
 * scripts/bundle.mjs, and a start does not pay for it). English, as emails are.
 */

type Doc = PDFKit.PDFDocument;

const MARGIN = 40;
const PAGE_WIDTH = 595.28;
const CONTENT = PAGE_WIDTH - 2 * MARGIN;
const FOOTER_SPACE = 28;
const INK = '#111827';
const MUTED = '#4b5563';
const RULE = '#d1d5db';

/** The movement table: x offset, width and alignment of each column. */
const COLUMNS = [
  { title: 'Date (UTC)', width: 92, align: 'left' },
  { title: 'Event', width: 100, align: 'left' },
  { title: 'Amount', width: 115, align: 'right' },
  { title: 'Fee', width: 90, align: 'right' },
  { title: 'Balance', width: 118, align: 'right' },
] as const;

/** The summary table's columns. */
const SUMMARY = [
  { title: 'Asset', width: 45, align: 'left' },
  { title: 'Opening', width: 85, align: 'right' },
  { title: 'Fees', width: 70, align: 'right' },
  { title: 'Closing', width: 95, align: 'right' },
  { title: 'Price (USD)', width: 105, align: 'right' },
  { title: 'Value (USD)', width: 115, align: 'right' },
] as const;

/** The directory of the DejaVu TrueType fonts (the `dejavu-fonts-ttf` package). */
function fontDir(): string {
  return join(dirname(createRequire(__filename).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/** Text as the font can print it: one line, control characters out, characters without a glyph as "?". */
function printable(doc: Doc, text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it takes out
  const oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  // pdfkit's embedded font keeps its fontkit font (not in pdfkit's types): its character map says what it covers.
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== 'function') return oneLine;
  let out = '';
  for (const ch of oneLine) out += ch === ' ' || font.hasGlyphForCodePoint(ch.codePointAt(0) as number) ? ch : '?';
  return out;
}

class StatementWriter {
  private page = 0;

  constructor(
    private readonly doc: Doc,
    private readonly s: Statement,
  ) {}

  /** Writes the whole statement and ends the document. */
  write(): void {
    const { doc } = this;
    doc.on('pageAdded', () => this.footer());
    this.footer();
    this.header();
    this.summary();
    for (const a of this.s.assets) this.asset(a);
    if (this.s.assets.length === 0) this.line('No balances and no movements in this period.', { color: MUTED });
    this.space(10);
    this.line('End of statement.', { color: MUTED, size: 8 });
    doc.end();
  }

  private text(
    value: string,
    x: number,
    y: number,
    opts: { width?: number; align?: 'left' | 'right'; size?: number; bold?: boolean; color?: string } = {},
  ): void {
    const { doc } = this;
    doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(opts.size ?? 9)
      .fillColor(opts.color ?? INK);
    // One line, never wrapped (a wrap would split a figure): a right-aligned cell ends at the column's right edge.
    const shown = printable(doc, value);
    const left = opts.align === 'right' && opts.width !== undefined ? x + opts.width - doc.widthOfString(shown) : x;
    doc.text(shown, left, y, { lineBreak: false });
  }

  /** A paragraph at the left margin, wrapped to the content width; moves down. */
  private line(value: string, opts: { size?: number; bold?: boolean; color?: string } = {}): void {
    const { doc } = this;
    this.ensure(16);
    doc
      .font(opts.bold ? 'bold' : 'regular')
      .fontSize(opts.size ?? 9)
      .fillColor(opts.color ?? INK);
    doc.text(printable(doc, value), MARGIN, doc.y, { width: CONTENT });
  }

  private space(points: number): void {
    this.doc.y += points;
  }

  /** A new page unless `height` more points fit above the footer. */
  private ensure(height: number): boolean {
    const { doc } = this;
    if (doc.y + height <= doc.page.height - MARGIN - FOOTER_SPACE) return false;
    doc.addPage();
    return true;
  }

  private rule(): void {
    const { doc } = this;
    doc
      .moveTo(MARGIN, doc.y)
      .lineTo(MARGIN + CONTENT, doc.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    this.space(4);
  }

  /** "Page N" at the bottom of the page just started (written first, so a page never lacks it). */
  private footer(): void {
    const { doc } = this;
    this.page += 1;
    const y = doc.y;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const at = doc.page.height - MARGIN;
    this.text(`CryptoVault account statement ${this.s.month} · ${this.s.holder.email}`, MARGIN, at, { size: 7, color: MUTED, width: CONTENT - 60 });
    this.text(`Page ${this.page}`, MARGIN + CONTENT - 60, at, { size: 7, color: MUTED, width: 60, align: 'right' });
    doc.page.margins.bottom = bottom;
    doc.x = MARGIN;
    doc.y = y;
  }

  private header(): void {
    const { doc, s } = this;
    this.text('CryptoVault', MARGIN, MARGIN, { size: 16, bold: true });
    this.text('Account statement', MARGIN, MARGIN + 22, { size: 12 });
    doc.y = MARGIN + 46;
    const period = `${printedDay(s.from)} to ${printedDay(periodLastDay(s))}${s.complete ? '' : ' (month to date)'}`;
    this.line(`Statement period: ${period} (UTC)`);
    this.line(`Account holder: ${s.holder.name}`);
    this.line(`Email: ${s.holder.email}`);
    this.line(`Generated: ${printedTime(s.generatedAt)}`);
    this.line(`Closing balances valued in USD at ${printedTime(s.valuedAt)} (the close of the latest recorded candle).`, { color: MUTED, size: 8 });
    this.space(8);
  }

  private tableRow<C extends readonly { width: number; align: 'left' | 'right' }[]>(
    columns: C,
    cells: string[],
    opts: { bold?: boolean; color?: string; size?: number } = {},
  ): void {
    const y = this.doc.y;
    let x = MARGIN;
    columns.forEach((c, i) => {
      this.text(cells[i] ?? '', x, y, { width: c.width - 4, align: c.align, bold: opts.bold, color: opts.color, size: opts.size });
      x += c.width;
    });
    this.doc.y = y + 13;
  }

  private summary(): void {
    const { s } = this;
    this.line('Summary', { bold: true, size: 11 });
    this.space(2);
    this.ensure(30);
    this.tableRow(
      SUMMARY,
      SUMMARY.map((c) => c.title),
      { bold: true, color: MUTED, size: 8 },
    );
    this.rule();
    for (const a of s.assets) {
      this.ensure(14);
      this.tableRow(SUMMARY, [
        a.asset,
        printedAmount(a.opening, a.asset),
        printedAmount(a.fees, a.asset),
        printedAmount(a.closing, a.asset),
        a.price ? printedPrice(a.asset, a.price) : 'no price',
        a.value ? printedUsd(a.value) : '–',
      ]);
    }
    this.rule();
    this.ensure(14);
    this.tableRow(SUMMARY, ['Total', '', '', '', '', printedUsd(s.totalValue)], { bold: true });
    if (s.unpriced.length) this.line(`No recorded price for ${s.unpriced.join(', ')}: not included in the total.`, { color: MUTED, size: 8 });
    this.space(10);
  }

  private movementHeader(a: AssetStatement, continued: boolean): void {
    this.line(`${a.asset}${continued ? ' (continued)' : ''}`, { bold: true, size: 11 });
    this.space(2);
    this.tableRow(
      COLUMNS,
      COLUMNS.map((c) => c.title),
      { bold: true, color: MUTED, size: 8 },
    );
    this.rule();
  }

  private asset(a: AssetStatement): void {
    const { doc } = this;
    this.ensure(90);
    this.movementHeader(a, false);
    this.tableRow(COLUMNS, [printedDay(this.s.from), 'Opening balance', '', '', printedAmount(a.opening, a.asset)], { bold: true });
    for (const m of a.movements) {
      if (this.ensure(30)) this.movementHeader(a, true);
      this.tableRow(COLUMNS, [
        printedTime(m.at).replace(' UTC', ''),
        eventLabel(m.type),
        printedAmount(m.amount, a.asset),
        m.fee.isZero() ? '' : printedAmount(m.fee, a.asset),
        printedAmount(m.balanceAfter, a.asset),
      ]);
      if (m.description) {
        // The journal's text under its row, wrapped to the width (a long one takes several lines).
        doc.font('regular').fontSize(7.5).fillColor(MUTED);
        doc.text(printable(doc, m.description), MARGIN + 8, doc.y - 2, { width: CONTENT - 8 });
        doc.y += 3;
      }
    }
    if (this.ensure(50)) this.movementHeader(a, true);
    this.rule();
    this.tableRow(COLUMNS, [printedDay(periodLastDay(this.s)), 'Closing balance', '', '', printedAmount(a.closing, a.asset)], { bold: true });
    const figure = (v: Dec) => printedAmount(v, a.asset);
    this.line(`Opening ${figure(a.opening)} + credited ${figure(a.credited)} − debited ${figure(a.debited)} − fees ${figure(a.fees)}`, {
      size: 8,
      color: MUTED,
    });
    this.line(`= closing ${figure(a.closing)} ${a.asset}`, { size: 8, color: MUTED });
    if (a.asset !== CASH_ASSET) {
      this.line(
        a.price && a.value
          ? `Valued at ${printedPrice(a.asset, a.price)} USD per ${a.asset}: ${printedUsd(a.value)} USD`
          : `No recorded price for ${a.asset} at ${printedTime(this.s.valuedAt)}`,
        { size: 8, color: MUTED },
      );
    }
    this.space(12);
  }
}

/** A USD price per unit: its own digits (at least 2 decimals), grouped. */
function printedPrice(asset: string, price: Dec): string {
  return asset === CASH_ASSET ? '1.00' : printedAmount(price, CASH_ASSET);
}

/** Starts writing the statement's PDF: the returned stream carries it as pdfkit produces it. */
export function statementPdf(s: Statement): Readable {
  // A plain require, not import(): the server runs as a script through V8's code cache (launcher.ts), which has no
  // dynamic-import hook; pdfkit is CommonJS and left out of the bundle, so Node loads it from node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous on purpose (see above)
  const PDFDocument = require('pdfkit') as typeof import('pdfkit');
  const fonts = fontDir();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    font: join(fonts, 'DejaVuSans.ttf'),
    info: {
      Title: `CryptoVault account statement ${s.month}`,
      Author: 'CryptoVault',
      Subject: `Account statement of ${s.holder.email} for ${s.month}`,
      CreationDate: s.generatedAt,
    },
  });
  doc.registerFont('regular', join(fonts, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(fonts, 'DejaVuSans-Bold.ttf'));
  // Written on the next turn, once the caller holds the stream and has started sending it: pages go out as they are
  // written (pdfkit pushes each page's objects when the next one starts), never the whole file in memory at once.
  setImmediate(() => {
    try {
      new StatementWriter(doc, s).write();
    } catch (e) {
      doc.destroy(e as Error);
    }
  });
  return doc;
}
