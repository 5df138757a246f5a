import { ProblemException } from '@mallard/platform';

/** What a manual stock movement can be refused with (400 malformed, 409 key reuse, 422 business rules). */
export const stockProblems = {
  invalidIdempotencyKey: () =>
    new ProblemException({
      status: 400,
      slug: 'invalid-idempotency-key',
      title: 'Invalid Idempotency-Key',
      detail: 'Idempotency-Key must be 1-200 printable ASCII characters.',
    }),
  idempotencyKeyReused: () =>
    new ProblemException({
      status: 409,
      slug: 'idempotency-key-reused',
      title: 'Idempotency key already used for another movement',
      detail: 'This Idempotency-Key was used for a different movement; use a new key.',
    }),
  receiptMustAdd: () =>
    new ProblemException({
      status: 422,
      slug: 'receipt-must-add',
      title: 'A receipt adds stock',
      detail: 'A RECEIPT quantity must be positive; use an ADJUSTMENT to remove units.',
    }),
  unknownWarehouse: (warehouseId: string) =>
    new ProblemException({
      status: 422,
      slug: 'unknown-warehouse',
      title: 'Unknown warehouse',
      detail: `There is no warehouse ${warehouseId}.`,
      extensions: { warehouseId },
    }),
  unknownSku: (skuId: string) =>
    new ProblemException({
      status: 422,
      slug: 'unknown-sku',
      title: 'Unknown SKU',
      detail: `There is no SKU ${skuId}.`,
      extensions: { skuId },
    }),
  warehouseNotAllowed: (skuId: string, warehouseId: string, refusal: string) =>
    new ProblemException({
      status: 422,
      slug: 'warehouse-not-allowed',
      title: 'SKU cannot be stocked in this warehouse',
      detail: refusal,
      extensions: { skuId, warehouseId },
    }),
  stockBelowHeld: (level: { skuId: string; warehouseId: string; onHand: number; held: number }, quantity: number, reason: string) =>
    new ProblemException({
      status: 422,
      slug: 'stock-below-held',
      title: 'Adjustment would take stock held for orders',
      detail: `Cannot adjust by ${quantity}: ${reason}.`,
      extensions: { skuId: level.skuId, warehouseId: level.warehouseId, onHand: level.onHand, held: level.held },
    }),
};
