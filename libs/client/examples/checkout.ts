import { type MallardClient, orThrow } from '@mallard/client';

/** A front end's checkout: place one unit of a SKU, then pay the whole of it with points. */
export async function checkout(mallard: MallardClient, skuId: string) {
  const order = orThrow(
    await mallard.POST('/api/v1/orders', {
      body: {
        lines: [{ skuId, quantity: 1 }],
        receiver: { name: 'Han Meimei', phone: '+8613900000000', address: { country: 'CN', city: 'Suzhou', street: '8 Garden Lane' } },
        paymentMethod: 'POINTS',
      },
    }),
  );
  // Each call has its own Idempotency-Key, kept across the client's retries: a retry never pays twice.
  const { data: payment, error } = await mallard.POST('/api/v1/orders/{id}/payments', {
    params: { path: { id: order.id } },
    body: { tenders: [{ type: 'POINTS', points: order.amounts.payable }] },
  });
  if (error) throw new Error(`payment refused (${error.type}): ${error.detail ?? error.title}`);
  return { order, payment };
}
