import { Badge, html, Money, Problem, Table, Time } from './html.js';
import { callApi, formatMoney, newRefundId, orderTimeline, parseMoney } from './lib.js';
import { useState } from './vendor/hooks.mjs';

/** What customer service can find an order by, and how each is asked of the API. */
const KEYS = {
  order: { label: 'Order id', placeholder: '0b8e6f1c-4a1d-4c53-9a57-2f0d5f4c7e21' },
  buyer: { label: 'Buyer id', placeholder: 'alice', query: 'buyerId' },
  tracking: { label: 'Tracking number', placeholder: 'SF1234567890123', query: 'trackingNumber' },
};
const PAGE_SIZE = 20;

/**
 * Customer service: find an order by its id, its buyer or a parcel's tracking number, then see
 * it whole: the saga's timeline, sub-orders and parcels with their tracking, refunds (and issue
 * one), its after-sales requests and the money trail.
 */
export function OrderLookup({ token }) {
  const [key, setKey] = useState('order');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState(null);
  const [found, setFound] = useState(null);

  const open = async (orderId) => {
    setBusy(true);
    setFound(await loadOrder(token, orderId));
    setBusy(false);
  };

  const search = async (searchKey, searched, page) => {
    setBusy(true);
    const query = new URLSearchParams({ [KEYS[searchKey].query]: searched, page: String(page), pageSize: String(PAGE_SIZE) });
    const answer = await callApi(token, 'GET', `/api/v1/admin/orders?${query}`);
    setResults({ key: searchKey, value: searched, answer });
    setFound(null);
    setBusy(false);
  };

  const lookUp = (event) => {
    event.preventDefault();
    const searched = value.trim();
    if (!searched) return;
    if (key === 'order') {
      setResults(null);
      void open(searched);
    } else void search(key, searched, 1);
  };

  // From an order's buyer to all their orders, as if typed in.
  const buyerOrders = (buyerId) => {
    setKey('buyer');
    setValue(buyerId);
    void search('buyer', buyerId, 1);
  };

  return html`<section>
    <form class="inline" onSubmit=${lookUp}>
      <label for="find-by">Find by</label>
      <select id="find-by" name="key" value=${key} onChange=${(e) => setKey(e.target.value)}>
        ${Object.entries(KEYS).map(([id, { label }]) => html`<option value=${id}>${label}</option>`)}
      </select>
      <label for="find-value">${KEYS[key].label}</label>
      <input id="find-value" name="value" value=${value} placeholder=${KEYS[key].placeholder} onInput=${(e) => setValue(e.target.value)} size="40" required />
      <button type="submit" disabled=${busy}>${busy ? 'Looking up…' : 'Look up'}</button>
    </form>
    ${results && html`<${Results} results=${results} busy=${busy} onOpen=${open} onPage=${(page) => search(results.key, results.value, page)} />`}
    ${found && (found.order.ok ? html`<${OrderView} key=${found.order.data.id} token=${token} found=${found} onChanged=${() => open(found.order.data.id)} onBuyer=${buyerOrders} />` : html`<${Problem} problem=${found.order.problem} />`)}
  </section>`;
}

/** The order, its money trail and its after-sales requests, asked together. */
async function loadOrder(token, orderId) {
  const path = encodeURIComponent(orderId);
  const [order, trail, afterSales] = await Promise.all([
    callApi(token, 'GET', `/api/v1/orders/${path}`),
    callApi(token, 'GET', `/api/v1/admin/orders/${path}/money-trail`),
    callApi(token, 'GET', `/api/v1/orders/${path}/after-sales`),
  ]);
  return { order, trail, afterSales };
}

function Results({ results, busy, onOpen, onPage }) {
  const { answer } = results;
  if (!answer.ok) return html`<${Problem} problem=${answer.problem} />`;
  const { items, page, pageSize, total } = answer.data;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return html`<article class="card" data-testid="order-results">
    <h3>
      ${total} order(s) ${results.key === 'buyer' ? 'of buyer' : 'with tracking number'} <code>${results.value}</code>
    </h3>
    <${Table}
      rows=${items}
      empty="No order found."
      columns=${[
        [
          'Order',
          (item) => html`<button type="button" class="link" data-order-id=${item.id} onClick=${() => onOpen(item.id)}>${item.id}</button>`,
        ],
        ['Buyer', (item) => item.buyerId],
        ['Status', (item) => html`<${Badge} value=${item.status} />`],
        ['Placed', (item) => html`<${Time} at=${item.placedAt} />`],
        ['Units', (item) => item.itemCount],
        ['Payable', (item) => html`<${Money} minor=${item.payable} currency=${item.currency} />`],
      ]}
    />
    ${
      pages > 1 &&
      html`<div class="inline">
        <button type="button" disabled=${busy || page <= 1} onClick=${() => onPage(page - 1)}>Previous</button>
        <span class="muted">page ${page} of ${pages}</span>
        <button type="button" disabled=${busy || page >= pages} onClick=${() => onPage(page + 1)}>Next</button>
      </div>`
    }
  </article>`;
}

function OrderView({ token, found, onChanged, onBuyer }) {
  const order = found.order.data;
  const trail = found.trail.ok ? found.trail.data : null;
  const requests = found.afterSales.ok ? found.afterSales.data.items : null;
  return html`<${Order} order=${order} onBuyer=${onBuyer} />
    <article class="card" data-testid="order-timeline-card">
      <h3>Timeline</h3>
      ${trail ? null : html`<p class="warn">Without the money trail: payments and refunds are missing below.</p>`}
      ${requests ? null : html`<p class="warn">Without the after-sales requests: their steps are missing below.</p>`}
      <${Timeline} entries=${orderTimeline(order, trail, requests)} />
    </article>
    ${
      trail
        ? html`<${Refunds} token=${token} order=${order} trail=${trail} onRefunded=${onChanged} />`
        : html`<h3>Refunds</h3><${Problem} problem=${found.trail.problem} />`
    }
    ${requests ? html`<${OrderAfterSales} requests=${requests} currency=${order.currency} />` : html`<h3>After-sales</h3><${Problem} problem=${found.afterSales.problem} />`}
    ${trail ? html`<${MoneyTrail} trail=${trail} />` : html`<h3>Money trail</h3><${Problem} problem=${found.trail.problem} />`}`;
}

function Order({ order, onBuyer }) {
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
      <dt>Buyer</dt>
      <dd><button type="button" class="link" title="All orders of this buyer" onClick=${() => onBuyer(order.buyerId)}>${order.buyerId}</button></dd>
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

    <h3>Sub-orders and parcels</h3>
    ${order.shipments === null ? html`<p class="warn">Shipments cannot be read right now.</p>` : null}
    ${order.subOrders.length === 0 ? html`<p class="muted">Not split yet.</p>` : null}
    ${order.subOrders.map((subOrder) => {
      const shipment = order.shipments?.find((s) => s.subOrderId === subOrder.id);
      return html`<div class="card" data-testid="sub-order">
        <h4>
          <code>${subOrder.id}</code> from ${subOrder.warehouseId} (${subOrder.fulfilmentType})
          ${shipment ? html` <${Badge} value=${shipment.state} />` : html` <span class="muted">logistics has not taken it on yet</span>`}
        </h4>
        <p>
          ${subOrder.lines.map((line) => `${names[line.lineId] ?? line.skuId} ×${line.quantity}`).join(', ')}; shipping${' '}
          <${Money} minor=${subOrder.shippingFee} currency=${c} />
          ${shipment?.interception ? html`; interception ${shipment.interception.outcome}${shipment.interception.reason ? ` (${shipment.interception.reason})` : ''}` : null}
        </p>
        ${subOrder.compensations.map(
          (comp) =>
            html`<p class="warn">${comp.kind}: refunded <${Money} minor=${comp.refundAmount} currency=${c} /> <${Time} at=${comp.at} /></p>`,
        )}
        ${shipment?.parcels.map((parcel) => html`<${Parcel} parcel=${parcel} names=${names} />`)}
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

/** One parcel: what it holds, who carries it under which number, and every checkpoint reported. */
function Parcel({ parcel, names }) {
  return html`<div class="parcel" data-testid="parcel" data-tracking-number=${parcel.trackingNumber ?? ''}>
    <p>
      <strong>Parcel</strong> <${Badge} value=${parcel.state} />
      ${parcel.trackingNumber ? html` <code>${parcel.trackingNumber}</code> with ${parcel.carrierCode}` : html` <span class="muted">not handed to a carrier yet</span>`}
      ${parcel.handedOverAt ? html`, handed over <${Time} at=${parcel.handedOverAt} />` : null};
      ${' '}${parcel.lines.map((line) => `${names[line.lineId] ?? line.skuId} ×${line.quantity}`).join(', ')}
    </p>
    <${Table}
      testId="parcel-tracking"
      rows=${parcel.tracking}
      empty="No carrier checkpoint yet."
      columns=${[
        ['When', (point) => html`<${Time} at=${point.occurredAt} />`],
        ['State', (point) => (point.state ? html`<${Badge} value=${point.state} />` : html`<span class="muted">history only</span>`)],
        ['Carrier says', (point) => point.message],
        ['Where', (point) => point.location ?? '—'],
        ['Reported by', (point) => `${point.provider} (${point.providerStatus})`],
      ]}
    />
  </div>`;
}

function Timeline({ entries }) {
  if (entries.length === 0) return html`<p class="muted">Nothing has happened yet.</p>`;
  return html`<ol class="timeline" data-testid="order-timeline">
    ${entries.map(
      (entry) =>
        html`<li data-kind=${entry.kind}><${Time} at=${entry.at} /> <span class=${`kind kind-${entry.kind}`}>${entry.kind}</span> ${entry.text}</li>`,
    )}
  </ol>`;
}

/** What is left to give back of the captured payments; payments refuses more (422 refund-exceeds-refundable). */
const refundableOf = (trail) =>
  trail.payments
    .filter((payment) => payment.state === 'SUCCEEDED' || payment.state === 'PARTIALLY_REFUNDED')
    .reduce((left, payment) => left + payment.amountMinor - payment.refundedMinor, 0);

/**
 * The order's refunds, and a staff refund along the original route: typed, reviewed, then
 * confirmed. The refundId is made once per refund prepared and sent with every retry of it.
 */
function Refunds({ token, order, trail, onRefunded }) {
  const currency = order.currency;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [refundId, setRefundId] = useState(newRefundId);
  const [review, setReview] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);

  // Another amount or reason is another refund: a new id, and a new review.
  const edit = (set) => (event) => {
    set(event.target.value);
    setRefundId(newRefundId());
    setReview(null);
  };
  const prepare = (event) => {
    event.preventDefault();
    const amountMinor = parseMoney(amount, currency);
    if (amountMinor === null) {
      setProblem({ title: 'Not an amount', detail: `Type the amount in ${currency}, such as 12.50, with no sign or separator.` });
      return;
    }
    setProblem(null);
    setReview({ amountMinor, reason: reason.trim() });
  };
  const confirm = async () => {
    setBusy(true);
    const answer = await callApi(token, 'POST', `/api/v1/admin/orders/${order.id}/refunds`, { refundId, ...review });
    setBusy(false);
    if (!answer.ok) {
      setProblem(answer.problem);
      return;
    }
    setProblem(null);
    setReview(null);
    setAmount('');
    setReason('');
    setRefundId(newRefundId());
    onRefunded();
  };

  return html`<article class="card" data-testid="refunds">
    <h3>Refunds</h3>
    <${Table}
      testId="refund-list"
      rows=${trail.refunds}
      empty="No refund."
      columns=${[
        ['Serial', (r) => html`<code>${r.serial}</code>`],
        ['State', (r) => html`<${Badge} value=${r.state} />`],
        ['Amount', (r) => html`<${Money} minor=${r.amountMinor} currency=${r.currency} />`],
        ['Reason', (r) => r.reason],
        ['Source', (r) => `${r.source}${r.requestedBy ? ` by ${r.requestedBy}` : ''}`],
        ['Asked', (r) => html`<${Time} at=${r.createdAt} />`],
        ['Settled', (r) => (r.failure ? html`<span class="warn">${r.failure}</span>` : html`<${Time} at=${r.completedAt} />`)],
        [
          'Parts',
          (r) =>
            r.parts
              .map(
                (part) =>
                  `${part.type} ${formatMoney(part.amountMinor, r.currency)}${part.points ? ` (${part.points} points)` : ''} ${part.state}`,
              )
              .join(', '),
        ],
      ]}
    />
    <h4>Issue a refund</h4>
    <p class="muted">
      Given back over the tenders that paid, in payments' refund order (REFUND_ORDER). Left to refund:${' '}
      <${Money} minor=${refundableOf(trail)} currency=${currency} />.
    </p>
    <form class="inline" onSubmit=${prepare}>
      <label>Amount (${currency}) <input name="amount" value=${amount} onInput=${edit(setAmount)} inputmode="decimal" size="10" required /></label>
      <label>Reason <input name="reason" value=${reason} onInput=${edit(setReason)} maxlength="200" size="40" required /></label>
      <button type="submit" disabled=${busy}>Review refund</button>
    </form>
    ${
      review &&
      html`<div class="inline confirm" data-testid="refund-review">
        <span>Refund <strong><${Money} minor=${review.amountMinor} currency=${currency} /></strong> to ${order.buyerId}: ${review.reason}?</span>
        <button type="button" class="danger" disabled=${busy} onClick=${confirm}>${busy ? 'Refunding…' : 'Confirm refund'}</button>
        <button type="button" disabled=${busy} onClick=${() => setReview(null)}>Cancel</button>
      </div>`
    }
    <${Problem} problem=${problem} />
  </article>`;
}

function OrderAfterSales({ requests, currency }) {
  return html`<article class="card">
    <h3>After-sales</h3>
    <${Table}
      testId="order-after-sales"
      rows=${requests}
      empty="No after-sales request."
      columns=${[
        ['Request', (r) => html`<code>${r.id}</code>`],
        ['Type', (r) => r.type],
        ['State', (r) => html`<${Badge} value=${r.state} />`],
        ['Reason', (r) => `${r.reason}${r.sellerAtFault ? ' (seller at fault)' : ''}`],
        ['Units', (r) => r.lines.map((line) => `${line.skuId} ×${line.quantity}`).join(', ')],
        ['Refund', (r) => (r.refund ? html`<${Money} minor=${r.refund.refunded} currency=${r.refund.currency ?? currency} />` : '—')],
        [
          'Return parcel',
          (r) =>
            r.returnParcel
              ? html`<code>${r.returnParcel.trackingNumber}</code> with ${r.returnParcel.carrierCode}, ${r.returnParcel.trackingState ?? 'no scan yet'}`
              : '—',
        ],
        ['Opened', (r) => html`<${Time} at=${r.createdAt} />`],
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
