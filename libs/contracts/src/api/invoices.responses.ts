import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches, ValidateNested } from 'class-validator';
import { BILLING_TYPES, type BillingType } from '../billing.js';
import { BillingDetailsRequest } from './place-order.request.js';

/**
 * Invoices and credit notes as the API shows them (docs/domain.md §2, "Invoices"). Money is
 * integer minor units of `currency`, negative on a credit note; tax is included in the amounts.
 */

export const INVOICE_KINDS = ['INVOICE', 'CREDIT_NOTE'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

/** Why a credit note was issued: a refund after the invoice, or the invoice's replacement by staff. */
export const CREDIT_NOTE_REASONS = ['REFUND', 'REISSUE'] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];

export class BilledPartyResponse {
  @ApiProperty({ enum: BILLING_TYPES }) type: BillingType;
  @ApiProperty({ example: 'Hangzhou Longjing Teahouse Co., Ltd.' }) title: string;
  @ApiProperty({ type: 'string', nullable: true, example: '91350100M000100Y43' }) taxId: string | null;
  @ApiProperty({ example: 'CN' }) country: string;
  @ApiProperty({ format: 'email', example: 'invoices@longjing.example' }) email: string;
}

export class InvoiceLineResponse {
  @ApiProperty({ format: 'uuid', example: '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21', description: 'The order line' }) lineId: string;
  @ApiProperty({ example: 'tea-longjing-250g' }) skuId: string;
  @ApiProperty({ example: 'Longjing tea, 250 g' }) name: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', example: 6400 }) unitPriceMinor: number;
  @ApiProperty({ type: 'integer', example: 12800, description: 'unit price × quantity' }) grossMinor: number;
  @ApiProperty({ type: 'integer', example: 500 }) itemDiscountMinor: number;
  @ApiProperty({ type: 'integer', example: 1000, description: 'Its share of the order’s discounts' }) orderDiscountMinor: number;
  @ApiProperty({ type: 'integer', example: 800, description: 'Its share of the shipping fee' }) shippingMinor: number;
  @ApiProperty({ type: 'integer', example: 12100, description: 'gross − item discount − order discount + shipping' }) paidMinor: number;
  @ApiProperty({ type: 'integer', example: 1300, description: 'The tax rate in basis points (1300 = 13 %)' }) taxRateBasisPoints: number;
  @ApiProperty({ type: 'integer', example: 1392, description: 'The tax included in paidMinor' }) taxMinor: number;
}

export class CreditNoteLineResponse {
  @ApiProperty({ format: 'uuid', example: '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21', description: 'The order line' }) lineId: string;
  @ApiProperty({ example: 'tea-longjing-250g' }) skuId: string;
  @ApiProperty({ example: 'Longjing tea, 250 g' }) name: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Units given back; 0 for an amount given back without units' }) quantity: number;
  @ApiProperty({ type: 'integer', example: 5600, description: 'What the units paid for their goods' }) paidMinor: number;
  @ApiProperty({ type: 'integer', example: 300, description: 'A benefit the kept goods lost, taken out of the refund' })
  clawbackMinor: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'An earlier refund’s clawback given back with this one' }) releasedMinor: number;
  @ApiProperty({ type: 'integer', example: 0 }) shippingMinor: number;
  @ApiProperty({ type: 'integer', example: -5300, description: '−(paid − clawback + released + shipping)' }) amountMinor: number;
  @ApiProperty({ type: 'integer', example: 1300 }) taxRateBasisPoints: number;
  @ApiProperty({ type: 'integer', example: -610, description: 'The tax included in amountMinor' }) taxMinor: number;
}

export class TaxByRateResponse {
  @ApiProperty({ type: 'integer', example: 1300 }) rateBasisPoints: number;
  @ApiProperty({ type: 'integer', example: 12100, description: 'The amounts at this rate, tax included' }) grossMinor: number;
  @ApiProperty({ type: 'integer', example: 1392 }) taxMinor: number;
}

/** One invoice or credit note, without its lines: what an order's view lists. */
export class InvoiceSummaryResponse {
  @ApiProperty({ example: 'the-mall-00000042', description: 'Issuer and its gap-free sequence' }) number: string;
  @ApiProperty({ enum: INVOICE_KINDS }) kind: InvoiceKind;
  @ApiProperty({ format: 'uuid', example: '5f0c2a7e-1b3d-4e8f-9a6b-7c2d1e0f3a4b' }) subOrderId: string;
  @ApiProperty({ example: 'the-mall' }) merchantId: string;
  @ApiProperty({ example: 'the-mall', description: 'Who issued it: the merchant, or the issuer it invoices through' }) issuerId: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: 'integer', example: 12100, description: 'Negative on a credit note' }) totalMinor: number;
  @ApiProperty({ type: 'integer', example: 1392 }) taxMinor: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-04T10:00:00.000Z' }) issuedAt: string;
  @ApiPropertyOptional({ example: 'the-mall-00000041', description: 'A credit note: the invoice it corrects' }) corrects?: string;
  @ApiPropertyOptional({ enum: CREDIT_NOTE_REASONS, description: 'A credit note: why' }) reason?: CreditNoteReason;
  @ApiPropertyOptional({
    example: 'after-sales:3d1f0a52-8c4b-4f7e-a1d2-6b9e0c8f4a73',
    description: 'A credit note of a refund: the refund’s id at payments',
  })
  refundId?: string;
  @ApiPropertyOptional({ example: 'the-mall-00000043', description: 'An invoice staff replaced: its replacement' }) replacedBy?: string;
}

/** An invoice or a credit note with its lines. */
export class InvoiceResponse extends InvoiceSummaryResponse {
  @ApiProperty({ format: 'uuid', example: '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21' }) orderId: string;
  @ApiProperty({ type: () => BilledPartyResponse, description: 'The billing details as they were when it was issued' })
  billedTo: BilledPartyResponse;
  @ApiProperty({ type: () => [InvoiceLineResponse], description: 'An invoice’s lines; empty on a credit note' })
  lines: InvoiceLineResponse[];
  @ApiProperty({ type: () => [CreditNoteLineResponse], description: 'A credit note’s lines, every amount negative; empty on an invoice' })
  creditLines: CreditNoteLineResponse[];
  @ApiProperty({ type: () => [TaxByRateResponse] }) taxByRate: TaxByRateResponse[];
}

/** An order's invoices and credit notes with their lines. */
export class InvoiceListResponse {
  @ApiProperty({ type: () => [InvoiceResponse], description: 'Oldest first' }) documents: InvoiceResponse[];
}

/** What a request for invoices did: the documents it issued now (none when all were issued before) and all the order has. */
export class IssuedInvoicesResponse {
  @ApiProperty({ type: () => [InvoiceSummaryResponse], description: 'Issued by this request' }) issued: InvoiceSummaryResponse[];
  @ApiProperty({ type: () => [InvoiceSummaryResponse], description: 'Every invoice and credit note of the order, oldest first' })
  documents: InvoiceSummaryResponse[];
}

/** Staff reissue an invoice, with new billing details or as it was (a lost document, a failed delivery of it). */
export class ReissueInvoiceRequest {
  @ApiPropertyOptional({
    type: () => BillingDetailsRequest,
    description: 'New billing details, replacing the order’s before the new invoice is made out',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingDetailsRequest)
  billing?: BillingDetailsRequest;
}

/** `<issuer>-<sequence>`: an issuer id as merchants have them, a hyphen, 8 digits or more. */
export const INVOICE_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}-[0-9]{8,}$/;

export class InvoiceNumberParam {
  @ApiProperty({
    pattern: INVOICE_NUMBER_PATTERN.source,
    example: 'the-mall-00000042',
    description: 'The invoice’s or credit note’s number',
  })
  @Matches(INVOICE_NUMBER_PATTERN, { message: 'number must be an invoice number: <issuer>-<8 digits>' })
  number: string;
}
