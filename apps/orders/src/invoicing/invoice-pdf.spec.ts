import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatMinorUnits } from '@mallard/money';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { creditNoteFigures } from './credit-note-figures.js';
import type { BilledParty, CreditNoteDocument, InvoiceDocument } from './invoice-document.js';
import { type InvoiceableLine, invoiceFigures } from './invoice-figures.js';
import { renderInvoicePdf } from './invoice-pdf.js';

const require = createRequire(import.meta.url);

/** A TrueType font an installed package ships (pdf.js's stand-in for Helvetica), to test embedding without a fixture. */
const liberationSans = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf');

async function textOf(pdf: Buffer): Promise<{ text: string; pages: number; info: Record<string, unknown> }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo();
    return { text: text.text, pages: text.total, info: info.info as Record<string, unknown> };
  } finally {
    await parser.destroy();
  }
}

/** The extracted line a table row starts on: its SKU and its figures share a baseline. */
function rowOf(text: string, sku: string): string {
  const line = text.split('\n').find((candidate) => candidate.includes(sku));
  if (!line) throw new Error(`no line holds ${sku} in:\n${text}`);
  return line;
}

const shanghaiCompany: BilledParty = {
  type: 'COMPANY',
  title: '上海某某科技有限公司',
  taxId: '91310000MA1FL4XQ3K',
  country: 'CN',
  email: 'finance@example.cn',
};

const orderLines: InvoiceableLine[] = [
  {
    lineId: 'L1',
    skuId: 'TEA-LONGJING-250G',
    name: '西湖龙井 Longjing green tea, 250 g tin',
    quantity: 2,
    unitPriceMinor: 128_00,
    itemDiscountMinor: 10_00,
    orderDiscountShareMinor: 5_00,
    taxRateBasisPoints: 1300,
  },
  {
    lineId: 'L2',
    skuId: 'CUP-CELADON',
    name: 'Celadon tea cup',
    quantity: 1,
    unitPriceMinor: 1_245_00,
    itemDiscountMinor: 0,
    orderDiscountShareMinor: 2_00,
    taxRateBasisPoints: 900,
  },
];

function anInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const [figures] = invoiceFigures(orderLines, [
    {
      subOrderId: 'S1',
      pieces: [
        { lineId: 'L1', quantity: 2, merchandiseMinor: 241_00, shippingFeeShareMinor: 8_00 },
        { lineId: 'L2', quantity: 1, merchandiseMinor: 1_243_00, shippingFeeShareMinor: 2_00 },
      ],
    },
  ]);
  return {
    kind: 'INVOICE',
    number: 'MER-7-00000042',
    issuerId: 'MER-7',
    merchantId: 'merchant-7',
    orderId: '0b9f3c1e-5d2a-4a61-9b7e-2f4f1c8d9e10',
    subOrderId: '6a1d2e3f-4b5c-4d7e-8f90-a1b2c3d4e5f6',
    currency: 'CNY',
    // Late on the 5th in UTC, already the 6th in Shanghai: the date printed is UTC's.
    issuedAt: new Date('2026-03-05T23:30:00Z'),
    billedTo: shanghaiCompany,
    totalMinor: figures.totalMinor,
    taxMinor: figures.taxMinor,
    taxByRate: figures.taxByRate,
    lines: figures.lines,
    ...overrides,
  };
}

function aCreditNote(invoice: InvoiceDocument): CreditNoteDocument {
  const figures = creditNoteFigures(invoice.lines, [
    { lineId: 'L1', quantity: 1, paidMinor: 120_50, clawbackMinor: 0, releasedMinor: 0, shippingMinor: 4_00, refundedMinor: 124_50 },
    {
      lineId: 'L2',
      quantity: 1,
      paidMinor: 1_243_00,
      clawbackMinor: 10_00,
      releasedMinor: 0,
      shippingMinor: 2_00,
      refundedMinor: 1_235_00,
    },
  ]);
  return {
    ...invoice,
    kind: 'CREDIT_NOTE',
    number: 'MER-7-00000043',
    issuedAt: new Date('2026-03-09T08:15:00Z'),
    corrects: invoice.number,
    reason: 'REFUND',
    totalMinor: figures.totalMinor,
    taxMinor: figures.taxMinor,
    taxByRate: figures.taxByRate,
    lines: figures.lines,
  };
}

const cny = (amount: number) => formatMinorUnits(amount, 'CNY', { separateThousands: true });

describe('renderInvoicePdf', () => {
  it('prints an invoice: who issued it to whom, each line’s figures, tax by rate and the total', async () => {
    const invoice = anInvoice();
    const { text, pages, info } = await textOf(await renderInvoicePdf(invoice, { fontPath: null }));

    expect(pages).toBe(1);
    expect(text).toContain('Invoice');
    expect(text).toContain('MER-7-00000042');
    expect(text).toContain('2026-03-05');
    for (const id of [
      invoice.issuerId,
      invoice.merchantId,
      invoice.orderId,
      invoice.subOrderId,
      '91310000MA1FL4XQ3K',
      'finance@example.cn',
    ]) {
      expect(text).toContain(id);
    }
    // Helvetica cannot draw Chinese: every character it lacks shows as "?", none as a wrong glyph.
    expect(text).toContain('??????????');
    expect(text).toContain('???? Longjing green tea, 250 g tin');

    expect(invoice.lines).toHaveLength(2);
    for (const line of invoice.lines) {
      const row = rowOf(text, line.skuId);
      for (const figure of [
        line.unitPriceMinor,
        line.grossMinor,
        line.itemDiscountMinor,
        line.orderDiscountMinor,
        line.paidMinor,
        line.taxMinor,
      ]) {
        expect(row).toContain(cny(figure));
      }
    }
    expect(rowOf(text, 'TEA-LONGJING-250G')).toContain('13%');
    expect(rowOf(text, 'CUP-CELADON')).toMatch(/\b9%/);
    // The cup's 1,245.00 a unit: thousands are separated.
    expect(rowOf(text, 'CUP-CELADON')).toContain('1,245.00');

    expect(invoice.taxByRate).toHaveLength(2);
    for (const rate of invoice.taxByRate) {
      expect(text).toContain(cny(rate.grossMinor));
      expect(text).toContain(cny(rate.taxMinor));
    }
    expect(invoice.totalMinor).toBe(249_00 + 1_245_00);
    expect(rowOf(text, 'Total (CNY)')).toContain('1,494.00');
    expect(text).toContain(cny(invoice.taxMinor));

    expect(info.Title).toBe('MER-7-00000042');
  });

  it('prints a credit note with the invoice it corrects, its reason and its negative amounts', async () => {
    const note = aCreditNote(anInvoice());
    const { text } = await textOf(await renderInvoicePdf(note, { fontPath: null }));

    expect(text).toContain('Credit note');
    expect(text).toContain('MER-7-00000043');
    expect(text).toContain('MER-7-00000042');
    expect(text).toContain('Refund');
    expect(text).toContain('2026-03-09');
    for (const line of note.lines) {
      const row = rowOf(text, line.skuId);
      expect(line.amountMinor).toBeLessThan(0);
      for (const figure of [line.paidMinor, line.clawbackMinor, line.shippingMinor, line.amountMinor, line.taxMinor]) {
        expect(row).toContain(cny(figure));
      }
    }
    expect(rowOf(text, 'CUP-CELADON')).toContain('-1,235.00');
    expect(note.totalMinor).toBe(-(124_50 + 1_235_00));
    expect(rowOf(text, 'Total (CNY)')).toContain('-1,359.50');
    expect(text).toContain(cny(note.taxMinor));
    for (const rate of note.taxByRate) expect(text).toContain(cny(rate.taxMinor));
  });

  it('renders the same document to the same bytes, dated when it was issued', async () => {
    const invoice = anInvoice();
    const first = await renderInvoicePdf(invoice, { fontPath: null });
    const second = await renderInvoicePdf(anInvoice(), { fontPath: null });
    expect(second.equals(first)).toBe(true);

    const parser = new PDFParse({ data: new Uint8Array(first) });
    try {
      expect((await parser.getInfo()).getDateNode().CreationDate?.toISOString()).toBe('2026-03-05T23:30:00.000Z');
    } finally {
      await parser.destroy();
    }
    const later = await renderInvoicePdf(anInvoice({ issuedAt: new Date('2026-03-06T00:00:00Z') }), { fontPath: null });
    expect(later.equals(first)).toBe(false);
  });

  it('prints yen without decimals', async () => {
    const invoice = anInvoice({
      currency: 'JPY',
      totalMinor: 15_000,
      taxMinor: 1_364,
      taxByRate: [{ rateBasisPoints: 1000, grossMinor: 15_000, taxMinor: 1_364 }],
      lines: [
        {
          lineId: 'L1',
          skuId: 'MATCHA-30G',
          name: 'Matcha, 30 g',
          quantity: 3,
          unitPriceMinor: 5_000,
          grossMinor: 15_000,
          itemDiscountMinor: 0,
          orderDiscountMinor: 0,
          shippingMinor: 0,
          paidMinor: 15_000,
          taxRateBasisPoints: 1000,
          taxMinor: 1_364,
        },
      ],
    });
    const { text } = await textOf(await renderInvoicePdf(invoice, { fontPath: null }));
    expect(rowOf(text, 'MATCHA-30G')).toContain('5,000');
    expect(rowOf(text, 'MATCHA-30G')).toContain('15,000');
    expect(text).toContain('1,364');
    expect(text).toContain('JPY');
    expect(text).not.toMatch(/\d\.\d/);
  });

  it('wraps or cuts long names and SKUs inside their cells, and carries a long table over pages with its header', async () => {
    const base = anInvoice();
    const long = {
      ...base.lines[0],
      skuId: `SKU-${'X'.repeat(60)}`,
      name: `${'Hand-rolled oolong from the Wuyi mountains, '.repeat(12)}LAST-WORD`,
    };
    const lines = [long, ...Array.from({ length: 60 }, (_, index) => ({ ...base.lines[1], skuId: `CUP-${index}` }))];
    const { text, pages } = await textOf(await renderInvoicePdf({ ...base, lines }, { fontPath: null }));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Hand-rolled oolong');
    // Cut after three lines, with an ellipsis: the rest of the name is not printed.
    expect(text).not.toContain('LAST-WORD');
    expect(text).toContain('CUP-59');
    expect(text.match(/Order discount/g)?.length).toBe(pages);
    expect(text).toContain(`page ${pages} of ${pages}`);
  });

  it('embeds the font it is given, which draws what Helvetica cannot', async () => {
    const invoice = anInvoice({ billedTo: { ...shanghaiCompany, title: 'Łódź Herbata Sp. z o.o.' } });
    const embedded = await textOf(await renderInvoicePdf(invoice, { fontPath: liberationSans }));
    expect(embedded.text).toContain('Łódź Herbata Sp. z o.o.');
    expect(embedded.text).toContain(cny(invoice.totalMinor));
    const helvetica = await textOf(await renderInvoicePdf(invoice, { fontPath: null }));
    expect(helvetica.text).toContain('?ód? Herbata Sp. z o.o.');

    const again = await renderInvoicePdf(invoice, { fontPath: liberationSans });
    expect(again.equals(await renderInvoicePdf(invoice, { fontPath: liberationSans }))).toBe(true);
  });

  it('refuses a font file it cannot read', async () => {
    await expect(renderInvoicePdf(anInvoice(), { fontPath: '/nonexistent/font.ttf' })).rejects.toThrow();
  });

  it('prints Chinese with Noto Sans SC, the font it embeds unless told otherwise', async () => {
    const { text } = await textOf(await renderInvoicePdf(anInvoice()));
    expect(text).toContain('上海某某科技有限公司');
    expect(text).toContain('西湖龙井');
  });
});
