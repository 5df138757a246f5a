import { Badge, html, Money, Problem, Table, Time } from './html.js';
import { callApi } from './lib.js';
import { useState } from './vendor/hooks.mjs';

/** Customer service: one order whole, as the shopper sees it and as the money moved. */
export function OrderLookup({ token }) {
  const [orderId, setOrderId] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState(null);

  const lookUp = async (event) => {
    event.preventDefault();
    const id = orderId.trim();
    if (!id) return;
    setBusy(true);
    const path = encodeURIComponent(id);
    const [order, trail] = await Promise.all([
      callApi(token, 'GET', `/api/v1/orders/${path}`),
      callApi(token, 'GET', `/api/v1/admin/orders/${path}/money-trail`),
    ]);
    setFound({ order, trail });
    setBusy(false);
  };

  return html`<section>
    <form class="inline" onSubmit=${lookUp}>
      <label>Order id <input name="orderId" value=${orderId} onInput=${(e) => setOrderId(e.target.value)} size="40" required /></label>
      <button type="submit" disabled=${busy}>${busy ? 'Looking up…' : 'Look up'}</button>
    </form>
    ${found && (found.order.ok ? html`<${Order} order=${found.order.data} />` : html`<${Problem} problem=${found.order.problem} />`)}
    ${
      found?.order.ok &&
      (found.trail.ok
        ? html`<${MoneyTrail} trail=${found.trail.data} />`
        : html`<h3>Money trail</h3><${Problem} problem=${found.trail.problem} />`)
    }
  </section>`;
}

function Order({ order }) {
  const c = order.currency;
  const names = Object.fromEntries(order.lines.map((line) => [line.id, line.name]));
  const flags = order.flags;
  return html`<article class="order" data-testid="order">
    <h2>Order <code>${order.id}</code></h2>
    <dl class="facts">
      <dt>Status</dt><dd data-testid="order-status"><${Badge} value=${order.status} /></dd>
      <dt>Orders' state</dt><dd>${order.state}${order.stateReason ? ` (${order.stateReason})` : ''}</dd>
      <dt>Flags</dt>
      <dd>
        interception ${flags.interception}, refunded ${flags.refunded}${flags.exception ? ', exception' : ''}${flags.afterSales ? ', after-sales open' : ''}
      </dd>
      <dt>Buyer</dt><dd>${order.buyerId}</dd>
      <dt>Receiver</dt><dd>${order.receiver.name}, ${order.receiver.phone}, ${[order.receiver.address.street, order.receiver.address.city, order.receiver.address.country].filter(Boolean).join(', ')}</dd>
      <dt>Payment</dt><dd>${order.paymentMethod}${order.couponCode ? `, coupon ${order.couponCode}` : ''}</dd>
      <dt>Placed</dt><dd><${Time} at=${order.placedAt} /></dd>
      <dt>Paid</dt><dd><${Time} at=${order.paidAt} /></dd>
    </dl>

    <h3>Amounts</h3>
    <dl class="facts" data-testid="order-amounts">
      <dt>Items</dt><dd><${Money} minor=${order.amounts.itemsTotal} currency=${c} /></dd>
      <dt>Item discounts</dt><dd><${Money} minor=${-order.amounts.itemDiscount} currency=${c} /></dd>
      <dt>Order discounts</dt><dd><${Money} minor=${-order.amounts.orderDiscount} currency=${c} /></dd>
      <dt>Shipping</dt><dd><${Money} minor=${order.amounts.shippingFee} currency=${c} /></dd>
      <dt>Payable</dt><dd data-testid="order-payable"><strong><${Money} minor=${order.amounts.payable} currency=${c} /></strong></dd>
    </dl>

    <h3>Lines</h3>
    <${Table}
      testId="order-lines"
      rows=${order.lines}
      columns=${[
        ['SKU', (line) => html`<code>${line.skuId}</code>`],
        ['Name', (line) => line.name],
        ['Quantity', (line) => line.quantity],
        ['Unit price', (line) => html`<${Money} minor=${line.unitPrice} currency=${c} />`],
        ['Paid', (line) => html`<${Money} minor=${line.paidAmount} currency=${c} />`],
        ['From', (line) => line.allocations.map((a) => `${a.warehouseId} ×${a.quantity}`).join(', ')],
      ]}
    />

    <h3>History</h3>
    <ol class="timeline" data-testid="order-history">
      ${order.history.map(
        (change) =>
          html`<li><${Time} at=${change.at} /> ${change.from ?? '—'} → <strong>${change.to}</strong>${change.reason ? ` (${change.reason})` : ''}</li>`,
      )}
    </ol>

    <h3>Sub-orders and shipments</h3>
    ${order.shipments === null ? html`<p class="warn">Shipments cannot be read right now.</p>` : null}
    ${order.subOrders.length === 0 ? html`<p class="muted">Not split yet.</p>` : null}
    ${order.subOrders.map((subOrder) => {
      const shipment = order.shipments?.find((s) => s.subOrderId === subOrder.id);
      return html`<div class="card" data-testid="sub-order">
        <h4><code>${subOrder.id}</code> from ${subOrder.warehouseId} (${subOrder.fulfilmentType})</h4>
        <p>
          ${subOrder.lines.map((line) => `${names[line.lineId] ?? line.skuId} ×${line.quantity}`).join(', ')}; shipping${' '}
          <${Money} minor=${subOrder.shippingFee} currency=${c} />
          ${shipment ? html`; <${Badge} value=${shipment.state} />` : html`; <span class="muted">logistics has not taken it on yet</span>`}
        </p>
        ${subOrder.compensations.map(
          (comp) =>
            html`<p class="warn">${comp.kind}: refunded <${Money} minor=${comp.refundAmount} currency=${c} /> <${Time} at=${comp.at} /></p>`,
        )}
        ${shipment?.parcels.map(
          (parcel) => html`<div class="parcel">
            <strong>Parcel</strong> <${Badge} value=${parcel.state} /> ${parcel.carrierCode ?? ''} ${parcel.trackingNumber ?? ''}
            <ul>
              ${parcel.tracking.map(
                (point) =>
                  html`<li><${Time} at=${point.occurredAt} /> ${point.state}${point.message ? `: ${point.message}` : ''}${point.location ? ` (${point.location})` : ''}</li>`,
              )}
            </ul>
          </div>`,
        )}
      </div>`;
    })}

    <h3>Invoices</h3>
    ${order.invoices === null ? html`<p class="warn">Invoices cannot be read right now.</p>` : null}
    <${Table}
      testId="order-invoices"
      rows=${order.invoices}
      empty="No invoice issued."
      columns=${[
        ['Number', (invoice) => html`<code>${invoice.number}</code>`],
        ['Kind', (invoice) => invoice.kind],
        ['Sub-order', (invoice) => html`<code>${invoice.subOrderId}</code>`],
        ['Total', (invoice) => html`<${Money} minor=${invoice.totalMinor} currency=${invoice.currency} />`],
        ['Issued', (invoice) => html`<${Time} at=${invoice.issuedAt} />`],
      ]}
    />
  </article>`;
}

function MoneyTrail({ trail }) {
  const currency = trail.order?.currency ?? trail.payments[0]?.currency ?? 'CNY';
  return html`<article class="trail" data-testid="money-trail">
    <h3>Money trail</h3>
    ${
      trail.order
        ? html`<p>
          Payable <strong data-testid="trail-payable"><${Money} minor=${trail.order.payableMinor} currency=${currency} /></strong>, account${' '}
          ${trail.order.state}${trail.order.closeReason ? ` (${trail.order.closeReason})` : ''}
        </p>`
        : null
    }
    <h4>Payments</h4>
    <${Table}
      testId="trail-payments"
      rows=${trail.payments}
      columns=${[
        ['Serial', (p) => html`<code>${p.serial}</code>`],
        ['State', (p) => html`<${Badge} value=${p.state} />`],
        ['Amount', (p) => html`<${Money} minor=${p.amountMinor} currency=${p.currency} />`],
        ['Refunded', (p) => html`<${Money} minor=${p.refundedMinor} currency=${p.currency} />`],
        ['Tenders', (p) => p.tenders.map((t) => `${t.type} ${t.state}${t.points ? ` (${t.points} points)` : ''}`).join(', ')],
        ['Succeeded', (p) => html`<${Time} at=${p.succeededAt} />`],
      ]}
    />
    <h4>Refunds</h4>
    <${Table}
      testId="trail-refunds"
      rows=${trail.refunds}
      empty="No refund."
      columns=${[
        ['Serial', (r) => html`<code>${r.serial}</code>`],
        ['State', (r) => html`<${Badge} value=${r.state} />`],
        ['Amount', (r) => html`<${Money} minor=${r.amountMinor} currency=${r.currency} />`],
        ['Reason', (r) => r.reason],
        ['Source', (r) => `${r.source}${r.requestedBy ? ` by ${r.requestedBy}` : ''}`],
      ]}
    />
    <h4>Points and gift cards</h4>
    <${Table}
      testId="trail-ledger"
      rows=${[
        ...trail.pointsEntries.map((e) => ({ ...e, what: 'points', delta: `${e.deltaPoints > 0 ? '+' : ''}${e.deltaPoints} points` })),
        ...trail.giftCardEntries.map((e) => ({
          ...e,
          what: `gift card ${e.code}`,
          delta: html`<${Money} minor=${e.deltaMinor} currency=${currency} />`,
        })),
      ]}
      empty="No ledger row."
      columns=${[
        ['Ledger', (e) => e.what],
        ['Kind', (e) => e.kind],
        ['Change', (e) => e.delta],
        ['Reason', (e) => e.reason],
        ['At', (e) => html`<${Time} at=${e.at} />`],
      ]}
    />
  </article>`;
}
