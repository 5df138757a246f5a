import { Badge, html, Problem, Time } from './html.js';
import { callApi, newestOnly, shortId } from './lib.js';
import { parcelsToHandOver, unitsNotInParcels } from './operations-lib.js';
import { WarehouseReturns } from './returns.js';
import { useEffect, useState } from './vendor/hooks.mjs';

const STATES = ['AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INTERCEPTING', 'INTERCEPTED', 'CANCELLED'];
/** The API's patterns for a carrier code and a tracking number, so the browser says what is wrong before sending. */
const CARRIER_CODE = '[a-z0-9][a-z0-9\\-]{1,39}';
const TRACKING_NUMBER = '[A-Za-z0-9][A-Za-z0-9\\-]{3,39}';

/** Warehouse staff: the sub-orders to pick, pack and ship, and the returns coming back. */
export function WarehouseQueue({ token, claims }) {
  const [part, setPart] = useState('sub-orders');
  const choose = (id, title) =>
    html`<button type="button" class=${part === id ? 'tab active' : 'tab'} aria-pressed=${part === id} onClick=${() => setPart(id)}>${title}</button>`;
  return html`<section>
    <div class="inline">${choose('sub-orders', 'Sub-orders')} ${choose('returns', 'Returns')}</div>
    ${part === 'sub-orders' ? html`<${SubOrders} token=${token} claims=${claims} />` : html`<${WarehouseReturns} token=${token} claims=${claims} />`}
  </section>`;
}

/** One warehouse's sub-orders in one state, oldest first. */
function SubOrders({ token, claims }) {
  const [warehouseId, setWarehouseId] = useState(claims.warehouses[0] ?? '');
  const [state, setState] = useState('AWAITING_PICK');
  const [page, setPage] = useState(null);
  const [problem, setProblem] = useState(null);

  const [newest] = useState(newestOnly);

  const load = async () => {
    if (!warehouseId.trim()) return;
    const query = new URLSearchParams({ warehouseId: warehouseId.trim(), state });
    const answer = await newest(() => callApi(token, 'GET', `/api/v1/warehouse/sub-orders?${query}`));
    if (!answer) return;
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Reloads when the state filter changes; the warehouse is applied with the button.
  useEffect(() => {
    void load();
  }, [state]);

  return html`<div>
    <form
      class="inline"
      onSubmit=${(e) => {
        e.preventDefault();
        void load();
      }}
    >
      <label>Warehouse <input name="warehouseId" value=${warehouseId} onInput=${(e) => setWarehouseId(e.target.value)} required /></label>
      <label
        >State${' '}
        <select value=${state} onChange=${(e) => setState(e.target.value)}>
          ${STATES.map((value) => html`<option value=${value}>${value}</option>`)}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
    <${Problem} problem=${problem} />
    ${
      page &&
      (page.items.length === 0
        ? html`<p class="muted" data-testid="warehouse-empty">No sub-order in ${state}.</p>`
        : page.items.map((subOrder) => html`<${SubOrder} key=${subOrder.id} token=${token} subOrder=${subOrder} onChanged=${load} />`))
    }
  </div>`;
}

function SubOrder({ token, subOrder, onChanged }) {
  const [problem, setProblem] = useState(null);
  const post = async (path, body) => {
    const answer = await callApi(token, 'POST', path, body);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    onChanged();
  };
  const step = (path, body) => post(`/api/v1/warehouse/sub-orders/${subOrder.id}/${path}`, body);
  // Everything in one parcel; a split into several parcels is the API's (or a later console's) job.
  const packAll = () =>
    step('pack', { parcels: [{ lines: subOrder.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })) }] });
  const ownWarehouse = subOrder.fulfilmentType === 'SELF_OPERATED';
  // A drop-ship merchant reports what it sent; whatever no parcel holds yet goes in the next one.
  const unreported = !ownWarehouse && ['AWAITING_PICK', 'PARTIALLY_SHIPPED'].includes(subOrder.state) ? unitsNotInParcels(subOrder) : [];
  const receiver = subOrder.receiver;
  return html`<div class="card" data-testid="warehouse-sub-order">
    <h4>
      <code>${subOrder.id}</code> <${Badge} value=${subOrder.state} /> ${ownWarehouse ? null : html`<${Badge} value=${subOrder.fulfilmentType} />`}${' '}
      <span class="muted">order <code>${subOrder.orderId}</code>, paid <${Time} at=${subOrder.paidAt} /></span>
    </h4>
    <ul>
      ${subOrder.lines.map((line) => html`<li>${line.skuName} (<code>${line.skuId}</code>) ×${line.quantity}</li>`)}
    </ul>
    <p>To ${receiver.name}, ${receiver.phone}, ${[receiver.address.street, receiver.address.city, receiver.address.country].filter(Boolean).join(', ')}</p>
    ${subOrder.parcels.map((parcel) => html`<${Parcel} key=${parcel.id} parcel=${parcel} />`)}
    <div class="inline">
      ${ownWarehouse && subOrder.state === 'AWAITING_PICK' ? html`<button type="button" onClick=${() => step('pick')}>Pick</button>` : null}
      ${ownWarehouse && subOrder.state === 'PICKING' ? html`<button type="button" onClick=${packAll}>Pack in one parcel</button>` : null}
    </div>
    ${parcelsToHandOver(subOrder).map(
      (parcel) =>
        html`<${LabelForm}
          key=${parcel.id}
          testId="hand-over"
          legend=${`Hand parcel ${shortId(parcel.id)} to the carrier:`}
          action="Hand over"
          onSend=${(label) => post(`/api/v1/warehouse/parcels/${parcel.id}/handover`, label)}
        />`,
    )}
    ${
      unreported.length > 0 &&
      html`<${LabelForm}
        testId="report-shipment"
        legend=${`${unreported.reduce((sum, line) => sum + line.quantity, 0)} unit(s) not reported yet; sent in one parcel:`}
        action="Report shipment"
        onSend=${(label) => step('shipments', { parcels: [{ ...label, lines: unreported }] })}
      />`
    }
    <${Problem} problem=${problem} />
  </div>`;
}

function Parcel({ parcel }) {
  return html`<div class="parcel" data-testid="warehouse-parcel">
    Parcel <code>${shortId(parcel.id)}</code> <${Badge} value=${parcel.state} />
    ${parcel.trackingNumber ? html` ${parcel.carrierCode} <code>${parcel.trackingNumber}</code>, handed over <${Time} at=${parcel.handedOverAt} />` : null}
    <span class="muted"> — ${parcel.lines.map((line) => `${line.skuId} ×${line.quantity}`).join(', ')}</span>
  </div>`;
}

/** A carrier's label for a parcel: its carrier code and tracking number, sent with `action`. */
function LabelForm({ testId, legend, action, onSend }) {
  const [carrierCode, setCarrierCode] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const submit = (event) => {
    event.preventDefault();
    void onSend({ carrierCode: carrierCode.trim(), trackingNumber: trackingNumber.trim() });
  };
  return html`<form class="inline" data-testid=${testId} onSubmit=${submit}>
    <span>${legend}</span>
    <label>Carrier <input value=${carrierCode} onInput=${(e) => setCarrierCode(e.target.value)} pattern=${CARRIER_CODE} placeholder="sf-express" size="12" required /></label>
    <label
      >Tracking number <input value=${trackingNumber} onInput=${(e) => setTrackingNumber(e.target.value)} pattern=${TRACKING_NUMBER} size="20" required
    /></label>
    <button type="submit">${action}</button>
  </form>`;
}
