import { defineProblems } from '@mallard/platform';

/** What a manual stock movement can be refused with (400 malformed, 409 key reuse, 422 business rules). */
export const stockProblems = defineProblems('inventory', {
  invalidIdempotencyKey: {
    slug: 'invalid-idempotency-key',
    status: 400,
    title: 'Invalid Idempotency-Key',
    description: 'The Idempotency-Key header is empty, too long or not printable ASCII.',
    create: () => ({ detail: 'Idempotency-Key must be 1-200 printable ASCII characters.' }),
  },
  /**
   * Not orders' and payments' `idempotency-key-reused` (422): a slug has one status, and this
   * one has answered 409 from the start.
   */
  idempotencyKeyReused: {
    slug: 'movement-key-reused',
    status: 409,
    title: 'Idempotency key already used for another movement',
    description: 'The Idempotency-Key was first used for a different stock movement.',
    create: () => ({ detail: 'This Idempotency-Key was used for a different movement; use a new key.' }),
  },
  receiptMustAdd: {
    slug: 'receipt-must-add',
    status: 422,
    title: 'A receipt adds stock',
    description: 'A RECEIPT was sent with a quantity that is not positive.',
    create: () => ({ detail: 'A RECEIPT quantity must be positive; use an ADJUSTMENT to remove units.' }),
  },
  unknownWarehouse: {
    slug: 'unknown-warehouse',
    status: 422,
    title: 'Unknown warehouse',
    description: 'The movement names a warehouse that does not exist.',
    extensions: ['warehouseId'],
    create: (warehouseId: string) => ({ detail: `There is no warehouse ${warehouseId}.`, extensions: { warehouseId } }),
  },
  /** Titled as orders titles its own `unknown-sku`: one slug, one title. */
  unknownSku: {
    slug: 'unknown-sku',
    status: 422,
    title: 'Unknown SKU',
    description: 'The movement names a SKU that does not exist.',
    extensions: ['skuId'],
    create: (skuId: string) => ({ detail: `There is no SKU ${skuId}.`, extensions: { skuId } }),
  },
  warehouseNotAllowed: {
    slug: 'warehouse-not-allowed',
    status: 422,
    title: 'SKU cannot be stocked in this warehouse',
    description: 'The SKU does not ship from this warehouse.',
    extensions: ['skuId', 'warehouseId'],
    create: (skuId: string, warehouseId: string, refusal: string) => ({ detail: refusal, extensions: { skuId, warehouseId } }),
  },
  stockBelowHeld: {
    slug: 'stock-below-held',
    status: 422,
    title: 'Adjustment would take stock held for orders',
    description: 'An adjustment would leave fewer units on hand than are held for orders.',
    extensions: ['skuId', 'warehouseId', 'onHand', 'held'],
    create: (level: { skuId: string; warehouseId: string; onHand: number; held: number }, quantity: number, reason: string) => ({
      detail: `Cannot adjust by ${quantity}: ${reason}.`,
      extensions: { skuId: level.skuId, warehouseId: level.warehouseId, onHand: level.onHand, held: level.held },
    }),
  },
});
