import { Badge, html, Problem, Table, Time } from './html.js';
import { callApi, newestOnly } from './lib.js';
import { queryOf, signedUnits } from './operations-lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

const LIMITS = [20, 100, 500];

/** Admins: the stock ledger, newest first, by SKU, warehouse or order; with a SKU, its levels too. */
export function StockMovements({ token }) {
  const [filter, setFilter] = useState({ skuId: '', warehouseId: '', orderId: '', limit: '100' });
  const [shown, setShown] = useState(null);
  const [problem, setProblem] = useState(null);
  const field = (name) => (e) => setFilter({ ...filter, [name]: e.target.value });
  const [newest] = useState(newestOnly);

  const load = async () => {
    const skuId = filter.skuId.trim();
    const answers = await newest(() =>
      Promise.all([
        callApi(token, 'GET', `/api/v1/admin/stock/movements${queryOf(filter)}`),
        skuId ? callApi(token, 'GET', `/api/v1/admin/skus/${encodeURIComponent(skuId)}/stock`) : null,
      ]),
    );
    if (!answers) return;
    const [movements, stock] = answers;
    const refused = [movements, stock].find((answer) => answer && !answer.ok);
    setProblem(refused ? refused.problem : null);
    setShown(refused ? null : { movements: movements.data, stock: stock?.data ?? null, limit: Number(filter.limit) });
  };
  // The newest rows of every SKU when the tab opens.
  useEffect(() => {
    void load();
  }, []);

  return html`<section>
    <form
      class="inline"
      onSubmit=${(e) => {
        e.preventDefault();
        void load();
      }}
    >
      <label>SKU <input name="skuId" value=${filter.skuId} onInput=${field('skuId')} size="16" /></label>
      <label>Warehouse <input name="warehouseId" value=${filter.warehouseId} onInput=${field('warehouseId')} size="16" /></label>
      <label>Order <input name="orderId" value=${filter.orderId} onInput=${field('orderId')} size="36" placeholder="order id" /></label>
      <label
        >Rows${' '}
        <select value=${filter.limit} onChange=${field('limit')}>
          ${LIMITS.map((limit) => html`<option value=${String(limit)}>${limit}</option>`)}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
    <${Problem} problem=${problem} />
    ${shown?.stock && html`<${Levels} stock=${shown.stock} />`}
    ${
      shown &&
      html`<p class="muted" data-testid="movements-count">
          ${shown.movements.length} movement(s), newest first${shown.movements.length === shown.limit ? ` (the newest ${shown.limit}: narrow the filter for older ones)` : ''}
        </p>
        <${Table}
          testId="stock-movements"
          rows=${shown.movements}
          empty="No movement matches."
          columns=${[
            ['#', (m) => m.id],
            ['When', (m) => html`<${Time} at=${m.createdAt} />`],
            ['SKU', (m) => html`<code>${m.skuId}</code>`],
            ['Warehouse', (m) => html`<code>${m.warehouseId}</code>`],
            ['Kind', (m) => html`<${Badge} value=${m.kind} />`],
            ['On hand', (m) => signedUnits(m.onHandDelta)],
            ['Held', (m) => signedUnits(m.heldDelta)],
            ['Damaged', (m) => signedUnits(m.damagedDelta)],
            ['Order', (m) => (m.orderId ? html`<code>${m.orderId}</code>` : '—')],
            ['Reason', (m) => m.reason ?? ''],
          ]}
        />`
    }
  </section>`;
}

function Levels({ stock }) {
  return html`<div class="card" data-testid="sku-levels">
    <h4>Stock of <code>${stock.skuId}</code></h4>
    <${Table}
      rows=${[...stock.warehouses, { warehouseId: null, warehouseName: 'All warehouses', ...stock.totals }]}
      empty="Never stocked."
      columns=${[
        [
          'Warehouse',
          (l) => (l.warehouseId ? html`<code>${l.warehouseId}</code> ${l.warehouseName}` : html`<strong>${l.warehouseName}</strong>`),
        ],
        ['On hand', (l) => l.onHand],
        ['Held', (l) => l.held],
        ['Available', (l) => l.available],
      ]}
    />
  </div>`;
}
