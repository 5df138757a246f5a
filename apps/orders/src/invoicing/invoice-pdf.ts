import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatBasisPoints, formatMinorUnits } from '@mallard/money';
import PDFDocument from 'pdfkit';
import type { CreditNoteLineFigures } from './credit-note-figures.js';
import type { IssuedInvoiceDocument } from './invoice-document.js';
import type { InvoiceLineFigures } from './invoice-figures.js';

export interface InvoicePdfOptions {
  /**
   * A TrueType or OpenType file (fontkit cannot embed WOFF2) covering every script a billed party or
   * an item's name may be written in. Left out: Noto Sans SC (@expo-google-fonts/noto-sans-sc, a
   * dependency), which draws Chinese as well as Latin. `null`: Helvetica.
   */
  fontPath?: string | null;
  /** For the headings; the regular font when left out. */
  boldFontPath?: string | null;
}

/**
 * The PDF of an invoice or a credit note, on landscape A4 so the eleven columns of an invoice's
 * lines keep a readable size.
 *
 * Deterministic: the same document and fonts give the same bytes, whenever it is rendered
 * (creation date and file id come from the document, font subsets are tagged by their id). So a
 * document issued once can be rendered again on demand instead of being stored.
 *
 * Helvetica, pdfkit's built-in font, only draws WinAnsi (Latin-1 and a few signs): with it, any
 * other character — a Chinese company name, say — is printed as "?" rather than as the wrong
 * glyphs pdfkit would otherwise pick. An embedded font has no such limit.
 */
export async function renderInvoicePdf(document: IssuedInvoiceDocument, options: InvoicePdfOptions = {}): Promise<Buffer> {
  const fonts = fontsFor(options);
  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    // A standard font to start with (read from pdfkit's own files), so the embedded one is parsed
    // once per document, from bytes read once per process.
    font: 'Helvetica',
    info: { Title: document.number, Subject: titleOf(document), CreationDate: document.issuedAt },
  });
  const bytes = bytesOf(pdf);
  pdf.registerFont(REGULAR, fontBytes(fonts.regular));
  pdf.registerFont(BOLD, fontBytes(fonts.bold));
  pdf.font(REGULAR);
  new Layout(pdf, fonts.winAnsiOnly ? toWinAnsi : toOneLine).document(document);
  pdf.end();
  return bytes;
}

const MARGIN = 36;
const FOOTER = 18;
const REGULAR = 'regular';
const BOLD = 'bold';
const CELL_PADDING = { x: 3, y: 3 };
/** A name or a SKU longer than this many lines is cut with an ellipsis: a row stays a row. */
const MAX_CELL_LINES = 3;
const TABLE_FONT_SIZES = [8, 7.5, 7, 6.5, 6];
const MIN_NAME_WIDTH = 140;
const MAX_SKU_WIDTH = 110;

/** Noto Sans SC's TTF files, which fontkit embeds (it cannot embed WOFF2, as most font packages ship). */
const NOTO_SANS_SC = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

function fontsFor(options: InvoicePdfOptions): { regular: string; bold: string; winAnsiOnly: boolean } {
  if (options.fontPath === undefined) {
    const require = createRequire(import.meta.url);
    return {
      regular: require.resolve(NOTO_SANS_SC.regular),
      bold: options.boldFontPath ?? require.resolve(NOTO_SANS_SC.bold),
      winAnsiOnly: false,
    };
  }
  if (options.fontPath) return { regular: options.fontPath, bold: options.boldFontPath ?? options.fontPath, winAnsiOnly: false };
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', winAnsiOnly: true };
}

/** Font files read once: an embedded CJK font is megabytes, and read again for every document it would cost more than drawing. */
const fontFiles = new Map<string, Buffer | string>();

function fontBytes(font: string): Buffer | string {
  // pdfkit's standard fonts are names, not files.
  if (!font.includes('/') && !font.includes('\\')) return font;
  let bytes = fontFiles.get(font);
  if (!bytes) {
    bytes = readFileSync(font);
    fontFiles.set(font, bytes);
  }
  return bytes;
}

function bytesOf(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/** What WinAnsiEncoding has beyond Latin-1 (0x80–0x9F); pdfkit maps these for its built-in fonts. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function toWinAnsi(text: string): string {
  return Array.from(toOneLine(text), (character) => {
    const code = character.codePointAt(0)!;
    return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(character) ? character : '?';
  }).join('');
}

/** Line breaks and tabs inside a name would break a row's layout; the table wraps text itself. */
function toOneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function titleOf(document: IssuedInvoiceDocument): string {
  return document.kind === 'INVOICE' ? 'Invoice' : 'Credit note';
}

interface Column {
  header: string;
  align: 'left' | 'right';
  /** Takes the width the others leave; one column only. */
  flexible?: boolean;
  maxWidth?: number;
  cells: string[];
}

interface TextBox {
  x: number;
  y: number;
  width: number;
  font?: string;
  size: number;
  align?: 'left' | 'right' | 'center';
  /** Cut (with an ellipsis) past this height. */
  height?: number;
  color?: string;
}

class Layout {
  private readonly left: number;
  private readonly width: number;
  private readonly bottom: number;
  private y = MARGIN;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly drawable: (text: string) => string,
  ) {
    this.left = pdf.page.margins.left;
    this.width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
    this.bottom = pdf.page.height - pdf.page.margins.bottom - FOOTER;
  }

  document(document: IssuedInvoiceDocument): void {
    this.heading(document);
    this.parties(document);
    this.y += 14;
    const caption = `Lines (amounts in ${document.currency})`;
    this.write(caption, { x: this.left, y: this.y, width: this.width, font: BOLD, size: 10 });
    this.y += this.heightOf(caption, this.width, BOLD, 10) + 4;
    this.table(
      document.kind === 'INVOICE'
        ? invoiceColumns(document.lines, document.currency)
        : creditNoteColumns(document.lines, document.currency),
    );
    this.y += 14;
    this.totals(document);
    this.footers(document);
  }

  private heading(document: IssuedInvoiceDocument): void {
    this.write(titleOf(document), { x: this.left, y: this.y, width: this.width / 2, font: BOLD, size: 20 });
    this.write(document.number, {
      x: this.left + this.width / 2,
      y: this.y + 5,
      width: this.width / 2,
      font: BOLD,
      size: 13,
      align: 'right',
    });
    this.y += 34;
  }

  private parties(document: IssuedInvoiceDocument): void {
    const gap = 24;
    const column = (this.width - gap) / 2;
    const details: [string, string][] = [
      ['Number', document.number],
      ['Issue date', document.issuedAt.toISOString().slice(0, 10)],
      ['Currency', document.currency],
      ['Issuer', document.issuerId],
      ['Merchant', document.merchantId],
      ['Order', document.orderId],
      ['Sub-order', document.subOrderId],
    ];
    if (document.kind === 'CREDIT_NOTE') {
      details.push(['Corrects invoice', document.corrects], ['Reason', document.reason === 'REFUND' ? 'Refund' : 'Reissue of the invoice']);
    }
    const billed = document.billedTo;
    const billedTo: [string, string][] = [
      ['Name', billed.title],
      ['Type', billed.type === 'COMPANY' ? 'Company' : 'Person'],
      ...(billed.taxId ? [['Tax ID', billed.taxId] as [string, string]] : []),
      ['Country', billed.country],
      ['Email', billed.email],
    ];
    const top = this.y;
    const detailsEnd = this.fields('Details', details, this.left, top, column);
    const billedEnd = this.fields('Billed to', billedTo, this.left + column + gap, top, column);
    this.y = Math.max(detailsEnd, billedEnd);
  }

  /** A heading and label–value pairs in a column; where the column ends. */
  private fields(heading: string, fields: [string, string][], x: number, top: number, width: number): number {
    let y = top;
    this.write(heading, { x, y, width, font: BOLD, size: 10 });
    y += this.heightOf(heading, width, BOLD, 10) + 4;
    const labelWidth = 84;
    for (const [label, value] of fields) {
      this.write(label, { x, y, width: labelWidth - 6, size: 9, color: '#555555' });
      this.write(value, { x: x + labelWidth, y, width: width - labelWidth, size: 9 });
      y += Math.max(this.heightOf(label, labelWidth - 6, REGULAR, 9), this.heightOf(value, width - labelWidth, REGULAR, 9)) + 2;
    }
    return y;
  }

  private table(columns: Column[]): void {
    const { size, widths } = this.fit(columns);
    const rows = columns[0].cells.length;
    let y = this.y;
    const header = (): void => {
      const height = this.rowHeight(
        columns.map((column) => column.header),
        widths,
        BOLD,
        size,
      );
      this.pdf.rect(this.left, y, this.width, height).fill('#eeeeee');
      this.row(
        columns.map((column) => column.header),
        columns,
        widths,
        y,
        height,
        BOLD,
        size,
      );
      y += height;
    };
    header();
    for (let index = 0; index < rows; index += 1) {
      const cells = columns.map((column) => column.cells[index]);
      const height = this.rowHeight(cells, widths, REGULAR, size);
      if (y + height > this.bottom) {
        this.pdf.addPage();
        y = this.pdf.page.margins.top;
        header();
      }
      this.row(cells, columns, widths, y, height, REGULAR, size);
      y += height;
      this.pdf
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .lineWidth(0.5)
        .stroke('#cccccc');
    }
    this.y = y;
  }

  /**
   * Each column as wide as its widest figure or header word, the name taking the rest; a smaller
   * font when that leaves the name too little. Past the smallest, figures wrap rather than overflow.
   */
  private fit(columns: Column[]): { size: number; widths: number[] } {
    let widths: number[] = [];
    let size = TABLE_FONT_SIZES[0];
    // Headers on one line if that leaves the name enough room, else a word a line; then smaller.
    const tries = TABLE_FONT_SIZES.flatMap((fontSize) => [
      { fontSize, headerWords: (header: string) => [header] },
      { fontSize, headerWords: (header: string) => header.split(' ') },
    ]);
    for (const { fontSize, headerWords } of tries) {
      size = fontSize;
      widths = columns.map((column) => {
        if (column.flexible) return 0;
        const words = headerWords(column.header).map((word) => this.widthOf(word, BOLD, fontSize));
        const cells = column.cells.map((cell) => this.widthOf(cell, REGULAR, fontSize));
        const natural = Math.ceil(Math.max(...words, ...cells)) + 2 * CELL_PADDING.x + 1;
        return Math.min(natural, column.maxWidth ?? Number.POSITIVE_INFINITY);
      });
      if (this.width - sum(widths) >= MIN_NAME_WIDTH) break;
    }
    const fixed = sum(widths);
    const scale = fixed > this.width - MIN_NAME_WIDTH ? (this.width - MIN_NAME_WIDTH) / fixed : 1;
    widths = widths.map((width) => width * scale);
    const flexible = columns.findIndex((column) => column.flexible);
    widths[flexible] = this.width - sum(widths);
    return { size, widths };
  }

  private rowHeight(cells: string[], widths: number[], font: string, size: number): number {
    const lineHeight = this.lineHeight(font, size);
    const tallest = Math.max(...cells.map((cell, index) => this.heightOf(cell, widths[index] - 2 * CELL_PADDING.x, font, size)));
    return Math.min(tallest, MAX_CELL_LINES * lineHeight) + 2 * CELL_PADDING.y;
  }

  private row(cells: string[], columns: Column[], widths: number[], y: number, height: number, font: string, size: number): void {
    let x = this.left;
    cells.forEach((cell, index) => {
      this.write(cell, {
        x: x + CELL_PADDING.x,
        y: y + CELL_PADDING.y,
        width: widths[index] - 2 * CELL_PADDING.x,
        // A hair more than the lines it holds, so rounding never drops the last one.
        height: height - 2 * CELL_PADDING.y + 0.5,
        font,
        size,
        align: columns[index].align,
      });
      x += widths[index];
    });
  }

  private totals(document: IssuedInvoiceDocument): void {
    const money = (amount: number) => formatMinorUnits(amount, document.currency, { separateThousands: true });
    const width = 330;
    const x = this.left + this.width - width;
    const rate = 70;
    const amount = (width - rate) / 2;
    const lines: { cells: [string, string, string]; font: string; size: number; gapBefore?: number }[] = [
      { cells: ['Tax rate', `Amount incl. tax (${document.currency})`, `Tax (${document.currency})`], font: BOLD, size: 9 },
      ...document.taxByRate.map((line) => ({
        cells: [formatBasisPoints(line.rateBasisPoints), money(line.grossMinor), money(line.taxMinor)] as [string, string, string],
        font: REGULAR,
        size: 9,
      })),
      { cells: ['', `Total (${document.currency})`, money(document.totalMinor)], font: BOLD, size: 11, gapBefore: 8 },
      { cells: ['', 'Total tax', money(document.taxMinor)], font: REGULAR, size: 9 },
    ];
    const widths = [rate, amount, amount];
    for (const line of lines) {
      this.y += line.gapBefore ?? 0;
      const height =
        Math.max(...line.cells.map((cell, index) => this.heightOf(cell, widths[index] - 2 * CELL_PADDING.x, line.font, line.size))) + 4;
      if (this.y + height > this.bottom) {
        this.pdf.addPage();
        this.y = this.pdf.page.margins.top;
      }
      let cellX = x;
      line.cells.forEach((cell, index) => {
        this.write(cell, {
          x: cellX + CELL_PADDING.x,
          y: this.y,
          width: widths[index] - 2 * CELL_PADDING.x,
          font: line.font,
          size: line.size,
          align: 'right',
        });
        cellX += widths[index];
      });
      this.y += height;
    }
  }

  private footers(document: IssuedInvoiceDocument): void {
    const { start, count } = this.pdf.bufferedPageRange();
    for (let page = start; page < start + count; page += 1) {
      this.pdf.switchToPage(page);
      // Below the bottom margin, where pdfkit would otherwise start a page of its own.
      const margin = this.pdf.page.margins.bottom;
      this.pdf.page.margins.bottom = 0;
      this.write(`${titleOf(document)} ${document.number} · page ${page - start + 1} of ${count}`, {
        x: this.left,
        y: this.pdf.page.height - margin - 10,
        width: this.width,
        size: 7.5,
        align: 'center',
        color: '#777777',
      });
      this.pdf.page.margins.bottom = margin;
    }
  }

  private write(text: string, box: TextBox): void {
    this.pdf
      .font(box.font ?? REGULAR)
      .fontSize(box.size)
      .fillColor(box.color ?? '#000000')
      .text(this.drawable(text), box.x, box.y, {
        width: box.width,
        align: box.align ?? 'left',
        ...(box.height === undefined ? {} : { height: box.height, ellipsis: true }),
      });
  }

  private heightOf(text: string, width: number, font: string, size: number): number {
    return this.pdf.font(font).fontSize(size).heightOfString(this.drawable(text), { width });
  }

  private widthOf(text: string, font: string, size: number): number {
    return this.pdf.font(font).fontSize(size).widthOfString(this.drawable(text));
  }

  private lineHeight(font: string, size: number): number {
    return this.pdf.font(font).fontSize(size).currentLineHeight(true);
  }
}

function invoiceColumns(lines: InvoiceLineFigures[], currency: string): Column[] {
  const money = (pick: (line: InvoiceLineFigures) => number) =>
    lines.map((line) => formatMinorUnits(pick(line), currency, { separateThousands: true }));
  return [
    { header: 'SKU', align: 'left', maxWidth: MAX_SKU_WIDTH, cells: lines.map((line) => line.skuId) },
    { header: 'Name', align: 'left', flexible: true, cells: lines.map((line) => line.name) },
    { header: 'Qty', align: 'right', cells: lines.map((line) => String(line.quantity)) },
    { header: 'Unit price', align: 'right', cells: money((line) => line.unitPriceMinor) },
    { header: 'Gross', align: 'right', cells: money((line) => line.grossMinor) },
    { header: 'Item discount', align: 'right', cells: money((line) => line.itemDiscountMinor) },
    { header: 'Order discount', align: 'right', cells: money((line) => line.orderDiscountMinor) },
    { header: 'Shipping', align: 'right', cells: money((line) => line.shippingMinor) },
    { header: 'Paid', align: 'right', cells: money((line) => line.paidMinor) },
    { header: 'Tax rate', align: 'right', cells: lines.map((line) => formatBasisPoints(line.taxRateBasisPoints)) },
    { header: 'Tax', align: 'right', cells: money((line) => line.taxMinor) },
  ];
}

function creditNoteColumns(lines: CreditNoteLineFigures[], currency: string): Column[] {
  const money = (pick: (line: CreditNoteLineFigures) => number) =>
    lines.map((line) => formatMinorUnits(pick(line), currency, { separateThousands: true }));
  return [
    { header: 'SKU', align: 'left', maxWidth: MAX_SKU_WIDTH, cells: lines.map((line) => line.skuId) },
    { header: 'Name', align: 'left', flexible: true, cells: lines.map((line) => line.name) },
    { header: 'Qty', align: 'right', cells: lines.map((line) => String(line.quantity)) },
    { header: 'Paid', align: 'right', cells: money((line) => line.paidMinor) },
    { header: 'Clawback', align: 'right', cells: money((line) => line.clawbackMinor) },
    { header: 'Released', align: 'right', cells: money((line) => line.releasedMinor) },
    { header: 'Shipping', align: 'right', cells: money((line) => line.shippingMinor) },
    { header: 'Amount', align: 'right', cells: money((line) => line.amountMinor) },
    { header: 'Tax rate', align: 'right', cells: lines.map((line) => formatBasisPoints(line.taxRateBasisPoints)) },
    { header: 'Tax', align: 'right', cells: money((line) => line.taxMinor) },
  ];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
