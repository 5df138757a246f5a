import { Badge, html, Problem, Time } from './html.js';
import { callApi, newestOnly, shortId } from './lib.js';
import { queryOf } from './operations-lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

/** '' is the API's default: the returns the warehouse has work with. */
const STATES = ['', 'APPROVED', 'RETURN_SHIPPED', 'RETURN_RECEIVED', 'REFUNDING', 'REFUNDED', 'EXCHANGING', 'EXCHANGED', 'CLOSED'];
const PAGE_SIZE = 50;
const pagesOf = (page) => Math.max(1, Math.ceil(page.total / page.pageSize));

/**
 * Warehouse staff: the goods coming back to a warehouse (returns and exchanges), to receive, with
 * or without a refund, and to inspect.
 */
export function WarehouseReturns({ token, claims }) {
  const [warehouseId, setWarehouseId] = useState(claims.warehouses[0] ?? '');
  const [state, setState] = useState('');
  const [pageNumber, setPageNumber] = useState(1);
  const [page, setPage] = useState(null);
  const [problem, setProblem] = useState(null);
  // What the last step left the request as, said once the list has moved on without it.
  const [outcome, setOutcome] = useState(null);
  const [newest] = useState(newestOnly);

  const load = async () => {
    if (!warehouseId.trim()) return;
    const answer = await newest(() =>
      callApi(token, 'GET', `/api/v1/warehouse/after-sales${queryOf({ warehouseId, state, page: pageNumber, pageSize: PAGE_SIZE })}`),
    );
    if (!answer) return;
    // The last request of the last page was stepped off the list: show the page that is now last.
    if (answer.ok && pagesOf(answer.data) < pageNumber) return setPageNumber(pagesOf(answer.data));
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Reloads when the state filter or the page changes; the warehouse is applied with the button.
  useEffect(() => {
    void load();
  }, [state, pageNumber]);
  // A new filter starts from its first page.
  const fromTheStart = () => (pageNumber === 1 ? void load() : setPageNumber(1));

  const stepped = (what, request) => {
    setOutcome(`${what}: request ${shortId(request.id)} is now ${request.state}.`);
    void load();
  };

  return html`<div>
    <form
      class="inline"
      onSubmit=${(e) => {
        e.preventDefault();
        fromTheStart();
      }}
    >
      <label>Warehouse <input name="warehouseId" value=${warehouseId} onInput=${(e) => setWarehouseId(e.target.value)} required /></label>
      <label
        >Return state${' '}
        <select
          value=${state}
          onChange=${(e) => {
            setState(e.target.value);
            setPageNumber(1);
          }}
        >
          ${STATES.map((value) => html`<option value=${value}>${value || 'waiting on the warehouse'}</option>`)}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
    ${outcome && html`<p class="muted" data-testid="return-outcome">${outcome}</p>`}
    <${Problem} problem=${problem} />
    ${
      page &&
      html`<div class="inline">
          <span class="muted" data-testid="returns-total">${page.total} return(s)</span>
          <span class="muted" data-testid="returns-page">page ${page.page} of ${pagesOf(page)}</span>
          <button type="button" disabled=${pageNumber <= 1} onClick=${() => setPageNumber(pageNumber - 1)}>Previous</button>
          <button type="button" disabled=${pageNumber >= pagesOf(page)} onClick=${() => setPageNumber(pageNumber + 1)}>Next</button>
        </div>
        ${page.items.map((request) => html`<${ReturnRequest} key=${request.id} token=${token} request=${request} onStepped=${stepped} />`)}`
    }
  </div>`;
}

function ReturnRequest({ token, request, onStepped }) {
  const [why, setWhy] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState(null);
  const parcel = request.returnParcel;

  const step = async (path, body, what) => {
    const answer = await callApi(token, 'POST', `/api/v1/warehouse/after-sales/${request.id}/${path}`, body);
    if (!answer.ok) return setProblem(answer.problem);
    setProblem(null);
    onStepped(what, answer.data);
  };

  return html`<div class="card" data-testid="return-request">
    <h4>
      <code>${request.id}</code> <${Badge} value=${request.state} /> ${request.type}${' '}
      <span class="muted">order <code>${request.orderId}</code>, ${request.reason}${request.sellerAtFault ? ' (seller at fault)' : ''}</span>
    </h4>
    <p>${request.lines.map((line) => `${line.skuId} ×${line.quantity}${line.replacementSkuId ? ` (replaced by ${line.replacementSkuId})` : ''}`).join(', ')}</p>
    ${
      parcel
        ? html`<p data-testid="return-parcel">
          ${parcel.bookedBy === 'MERCHANT' ? 'Pickup booked' : 'Sent by the shopper'}: ${parcel.carrierCode} <code>${parcel.trackingNumber}</code>, <${Time}
            at=${parcel.shippedAt}
          />${parcel.trackingState ? html`; the carrier says ${parcel.trackingState} (<${Time} at=${parcel.trackingStateAt} />)` : null}
          ${parcel.receivedAt ? html`; received <${Time} at=${parcel.receivedAt} />` : null}
          ${parcel.inspectionPassed === null ? null : html`; inspection ${parcel.inspectionPassed ? 'passed' : 'failed'}: ${parcel.inspectionNote}`}
        </p>`
        : html`<p class="muted">No parcel on its way yet: the shopper has not sent the goods, and no pickup is booked.</p>`
    }
    ${
      request.state === 'RETURN_SHIPPED' &&
      html`<div class="inline">
        <button type="button" onClick=${() => step('receive', { refund: true }, 'Received')}>Receive</button>
        <input aria-label="Why no refund" placeholder="Why no refund (kept in its history)" value=${why} onInput=${(e) => setWhy(e.target.value)} size="40" />
        <button type="button" class="danger" disabled=${!why.trim()} onClick=${() => step('receive', { refund: false, note: why.trim() }, 'Received without a refund')}>
          Receive without refund
        </button>
      </div>`
    }
    ${
      request.state === 'RETURN_RECEIVED' &&
      html`<div class="inline">
        <input aria-label="Inspection note" placeholder="What the goods were found to be" value=${note} onInput=${(e) => setNote(e.target.value)} size="40" />
        <button type="button" disabled=${!note.trim()} onClick=${() => step('inspection', { passed: true, note: note.trim() }, 'Inspection passed')}>Passed</button>
        <button type="button" class="danger" disabled=${!note.trim()} onClick=${() => step('inspection', { passed: false, note: note.trim() }, 'Inspection failed')}>
          Failed
        </button>
      </div>`
    }
    <${Problem} problem=${problem} />
  </div>`;
}
