import { apportion } from '@mallard/money';
import type { MigrationInterface, QueryRunner } from 'typeorm';

interface StoredPiece {
  lineId: string;
  skuId: string;
  quantity: number;
  paidAmount: number;
  merchandise?: number;
  shippingFeeShare?: number;
}

/**
 * Orders split before this release kept the placement's shipping shares on their lines while
 * their sub-orders carried the fee by the split rule, so a line and its sub-order disagreed on
 * what the line paid (docs/domain.md §4). This re-bases them as the split now does: each
 * sub-order's fee is apportioned over its pieces by merchandise (their old `paidAmount`), and
 * each line's share and paid amount become the sum of its pieces. Pieces that already have a
 * `merchandise` were split by the new code and are left alone, so running it again changes nothing.
 */
export class LineSharesFollowSubOrders1764061000005 implements MigrationInterface {
  name = 'LineSharesFollowSubOrders1764061000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const orders: { order_id: string }[] = await queryRunner.query(
      `SELECT DISTINCT order_id FROM sub_order WHERE EXISTS (
         SELECT 1 FROM jsonb_array_elements(lines) AS piece WHERE NOT piece ? 'merchandise')`,
    );
    for (const { order_id: orderId } of orders) {
      const subOrders: { id: string; shipping_fee: string; lines: StoredPiece[] }[] = await queryRunner.query(
        'SELECT id, shipping_fee, lines FROM sub_order WHERE order_id = $1 ORDER BY position',
        [orderId],
      );
      const lineTotals = new Map<string, { share: number; paid: number }>();
      for (const subOrder of subOrders) {
        const merchandise = subOrder.lines.map((piece) => piece.merchandise ?? piece.paidAmount);
        const shares = apportion(Number(subOrder.shipping_fee), merchandise);
        const pieces = subOrder.lines.map((piece, index) => ({
          lineId: piece.lineId,
          skuId: piece.skuId,
          quantity: piece.quantity,
          merchandise: merchandise[index],
          shippingFeeShare: shares[index],
          paidAmount: merchandise[index] + shares[index],
        }));
        for (const piece of pieces) {
          const total = lineTotals.get(piece.lineId) ?? { share: 0, paid: 0 };
          total.share += piece.shippingFeeShare;
          total.paid += piece.paidAmount;
          lineTotals.set(piece.lineId, total);
        }
        await queryRunner.query('UPDATE sub_order SET lines = $2::jsonb WHERE id = $1', [subOrder.id, JSON.stringify(pieces)]);
      }
      for (const [lineId, total] of lineTotals) {
        await queryRunner.query('UPDATE order_line SET shipping_fee_share = $2, paid_amount = $3 WHERE id = $1', [
          lineId,
          total.share,
          total.paid,
        ]);
      }
    }
  }

  async down(): Promise<void> {
    // The placement's spread is still in order.placed; nothing here needs undoing to run the old code.
  }
}
