import { html, Money, Problem, Table } from './html.js';
import { callApi, newestOnly } from './lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

const PAGE_SIZE = 50;

/** Admins: the SKUs on flash sale (marked scarce) and how their stock stands, page by page. */
export function FlashSales({ token }) {
  const [pageNumber, setPageNumber] = useState(1);
  const [page, setPage] = useState(null);
  const [problem, setProblem] = useState(null);
  const [newest] = useState(newestOnly);

  const load = async () => {
    const answer = await newest(() => callApi(token, 'GET', `/api/v1/admin/flash-sale-skus?page=${pageNumber}&pageSize=${PAGE_SIZE}`));
    if (!answer) return;
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Loads when the tab opens and when the page changes; Refresh for a sale going on.
  useEffect(() => {
    void load();
  }, [pageNumber]);

  const pages = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  const cell = (name) => (sku) => html`<span data-testid=${`flash-${name}`}>${sku[name]}</span>`;
  return html`<section>
    <div class="inline">
      <button type="button" onClick=${load}>Refresh</button>
      ${
        page &&
        html`<span class="muted" data-testid="flash-sale-total">${page.total} SKU(s) on flash sale, page ${page.page} of ${pages}</span>
          <button type="button" disabled=${pageNumber <= 1} onClick=${() => setPageNumber(pageNumber - 1)}>Previous</button>
          <button type="button" disabled=${pageNumber >= pages} onClick=${() => setPageNumber(pageNumber + 1)}>Next</button>`
      }
    </div>
    <p class="muted">
      A SKU marked <code>scarce</code> is on flash sale: an order holding it is held only for <code>SCARCE_HOLD_TTL_SECONDS</code>. Held units wait for
      unpaid orders; sold adds up the ledger's deductions for paid orders (an exchange's replacement is none), returned its returns (Stock tab).
    </p>
    <${Problem} problem=${problem} />
    ${
      page &&
      html`<${Table}
        testId="flash-sale-skus"
        rows=${page.items}
        empty="No SKU is marked scarce."
        columns=${[
          ['SKU', (sku) => html`<code>${sku.skuId}</code> ${sku.name}`],
          ['Price', (sku) => html`<${Money} minor=${sku.priceMinor} currency=${sku.currency} />`],
          ['On shelf', (sku) => (sku.onShelf ? 'yes' : 'no')],
          ['Limit per buyer', (sku) => sku.purchaseLimit ?? 'none'],
          ['On hand', cell('onHand')],
          ['Held', cell('held')],
          ['Available', cell('available')],
          ['Sold', cell('sold')],
          ['Returned', cell('returned')],
          [
            'By warehouse',
            (sku) =>
              sku.warehouses.length === 0
                ? html`<span class="muted">not stocked</span>`
                : sku.warehouses.map(
                    (level) => html`<div><code>${level.warehouseId}</code>: ${level.available} of ${level.onHand} available</div>`,
                  ),
          ],
        ]}
      />`
    }
  </section>`;
}
