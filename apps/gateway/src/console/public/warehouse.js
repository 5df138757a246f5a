import { Badge, html, Problem, Time } from './html.js';
import { callApi } from './lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

const STATES = ['AWAITING_PICK', 'PICKING', 'PACKED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INTERCEPTING', 'INTERCEPTED', 'CANCELLED'];

/** Warehouse staff: the sub-orders to pick and pack, oldest first, for one warehouse at a time. */
export function WarehouseQueue({ token, claims }) {
  const [warehouseId, setWarehouseId] = useState(claims.warehouses[0] ?? '');
  const [state, setState] = useState('AWAITING_PICK');
  const [page, setPage] = useState(null);
  const [problem, setProblem] = useState(null);

  const load = async () => {
    if (!warehouseId.trim()) return;
    const query = new URLSearchParams({ warehouseId: warehouseId.trim(), state });
    const answer = await callApi(token, 'GET', `/api/v1/warehouse/sub-orders?${query}`);
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Reloads when the state filter changes; the warehouse is applied with the button.
  useEffect(() => {
    void load();
  }, [state]);

  return html`<section>
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
  </section>`;
}

function SubOrder({ token, subOrder, onChanged }) {
  const [problem, setProblem] = useState(null);
  const step = async (path, body) => {
    const answer = await callApi(token, 'POST', `/api/v1/warehouse/sub-orders/${subOrder.id}/${path}`, body);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    onChanged();
  };
  // Everything in one parcel; a split into several parcels is the API's (or a later console's) job.
  const packAll = () =>
    step('pack', { parcels: [{ lines: subOrder.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })) }] });
  const receiver = subOrder.receiver;
  return html`<div class="card" data-testid="warehouse-sub-order">
    <h4><code>${subOrder.id}</code> <${Badge} value=${subOrder.state} /> <span class="muted">order <code>${subOrder.orderId}</code>, paid <${Time} at=${subOrder.paidAt} /></span></h4>
    <ul>
      ${subOrder.lines.map((line) => html`<li>${line.skuName} (<code>${line.skuId}</code>) ×${line.quantity}</li>`)}
    </ul>
    <p>To ${receiver.name}, ${receiver.phone}, ${[receiver.address.street, receiver.address.city, receiver.address.country].filter(Boolean).join(', ')}</p>
    <div class="inline">
      ${subOrder.state === 'AWAITING_PICK' ? html`<button type="button" onClick=${() => step('pick')}>Pick</button>` : null}
      ${subOrder.state === 'PICKING' ? html`<button type="button" onClick=${packAll}>Pack in one parcel</button>` : null}
    </div>
    <${Problem} problem=${problem} />
  </div>`;
}
