import { Badge, html, Problem, Time } from './html.js';
import { callApi } from './lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

const STATES = [
  '',
  'REQUESTED',
  'AWAITING_EVIDENCE',
  'APPROVED',
  'RETURN_SHIPPED',
  'RETURN_RECEIVED',
  'REFUNDING',
  'REFUNDED',
  'REJECTED',
  'CLOSED',
];

/** Customer service's queue of after-sales requests, and the decision on each. */
export function AfterSalesQueue({ token }) {
  const [state, setState] = useState('');
  const [page, setPage] = useState(null);
  const [problem, setProblem] = useState(null);

  const load = async () => {
    const answer = await callApi(token, 'GET', `/api/v1/admin/after-sales${state ? `?state=${state}` : ''}`);
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Reloads when the filter changes, and only then.
  useEffect(() => {
    void load();
  }, [state]);

  return html`<section>
    <form class="inline" onSubmit=${(e) => e.preventDefault()}>
      <label
        >State${' '}
        <select value=${state} onChange=${(e) => setState(e.target.value)}>
          ${STATES.map((value) => html`<option value=${value}>${value || 'waiting for a decision'}</option>`)}
        </select>
      </label>
      <button type="button" onClick=${load}>Refresh</button>
    </form>
    <${Problem} problem=${problem} />
    ${
      page &&
      html`<p class="muted" data-testid="after-sales-total">${page.total} request(s)</p>
      ${page.items.map((request) => html`<${AfterSalesRequest} key=${request.id} token=${token} request=${request} onDecided=${load} />`)}`
    }
  </section>`;
}

function AfterSalesRequest({ token, request, onDecided }) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState(null);
  const waiting = request.state === 'REQUESTED' || request.state === 'AWAITING_EVIDENCE';

  const decide = async (decision) => {
    const body = note.trim() ? { note: note.trim() } : {};
    const answer = await callApi(token, 'POST', `/api/v1/admin/after-sales/${request.id}/${decision}`, body);
    if (answer.ok) {
      setProblem(null);
      setNote('');
      onDecided();
    } else {
      setProblem(answer.problem);
    }
  };

  return html`<div class="card" data-testid="after-sales-request">
    <h4>
      ${request.type} <${Badge} value=${request.state} /> <span class="muted">order <code>${request.orderId}</code>, waiting ${Math.round(request.ageSeconds / 60)} min</span>
    </h4>
    <p>${request.reason}${request.sellerAtFault ? ' (seller at fault)' : ''}: ${request.description}</p>
    <p>${request.lines.map((line) => `${line.skuId} ×${line.quantity}`).join(', ')}; buyer ${request.buyerId}, merchant ${request.merchantId}; opened <${Time} at=${request.createdAt} /></p>
    ${request.evidence.length > 0 ? html`<p>${request.evidence.length} evidence file(s)</p>` : null}
    ${
      waiting &&
      html`<div class="inline">
      <input aria-label="Note to the shopper" placeholder="Note to the shopper (needed to reject)" value=${note} onInput=${(e) => setNote(e.target.value)} size="40" />
      <button type="button" onClick=${() => decide('approve')}>Approve</button>
      <button type="button" class="danger" onClick=${() => decide('reject')}>Reject</button>
    </div>`
    }
    <${Problem} problem=${problem} />
  </div>`;
}
