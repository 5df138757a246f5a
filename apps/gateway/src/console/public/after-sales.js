import { Badge, html, Problem, Time } from './html.js';
import { actorName, callApi, fetchEvidence, newestOnly } from './lib.js';
import { useEffect, useRef, useState } from './vendor/hooks.mjs';

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
  const [decided, setDecided] = useState(null);

  const [newest] = useState(newestOnly);

  const load = async () => {
    const answer = await newest(() => callApi(token, 'GET', `/api/v1/admin/after-sales${state ? `?state=${state}` : ''}`));
    if (!answer) return;
    setPage(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Reloads when the filter changes, and only then.
  useEffect(() => {
    void load();
  }, [state]);

  // The request leaves the waiting queue once decided: say where it went before it disappears.
  const onDecided = (decision, request) => {
    setDecided({ decision, request });
    void load();
  };

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
    ${
      decided &&
      html`<p class="notice" role="status" data-testid="after-sales-decided">
        ${decided.decision === 'approve' ? 'Approved' : 'Rejected'} the ${decided.request.type} request <code>${decided.request.id}</code> of order${' '}
        <code>${decided.request.orderId}</code>: now <${Badge} value=${decided.request.state} />
      </p>`
    }
    <${Problem} problem=${problem} />
    ${
      page &&
      html`<p class="muted" data-testid="after-sales-total">${page.total} request(s)</p>
      ${page.items.map((request) => html`<${AfterSalesRequest} key=${request.id} token=${token} request=${request} onDecided=${onDecided} />`)}`
    }
  </section>`;
}

function AfterSalesRequest({ token, request, onDecided }) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const waiting = request.state === 'REQUESTED' || request.state === 'AWAITING_EVIDENCE';

  const decide = async (decision) => {
    setBusy(true);
    const body = note.trim() ? { note: note.trim() } : {};
    const answer = await callApi(token, 'POST', `/api/v1/admin/after-sales/${request.id}/${decision}`, body);
    setBusy(false);
    if (answer.ok) {
      setProblem(null);
      setNote('');
      onDecided(decision, answer.data);
    } else {
      setProblem(answer.problem);
    }
  };

  return html`<div class="card" data-testid="after-sales-request" data-request-id=${request.id}>
    <h4>
      ${request.type} <${Badge} value=${request.state} /> <span class="muted">order <code>${request.orderId}</code>, waiting ${Math.round(request.ageSeconds / 60)} min</span>
    </h4>
    <p>${request.reason}${request.sellerAtFault ? ' (seller at fault)' : ''}${request.description ? `: ${request.description}` : ''}</p>
    <p>${request.lines.map((line) => `${line.skuId} ×${line.quantity}`).join(', ')}; buyer ${request.buyerId}, merchant ${request.merchantId}; opened <${Time} at=${request.createdAt} /></p>
    ${
      request.history.length > 1 &&
      html`<ul class="muted">
        ${request.history.slice(1).map((step) => html`<li><${Time} at=${step.at} /> ${step.to} by ${actorName(step.actor.kind)}${step.actor.id ? ` ${step.actor.id}` : ''}${step.note ? `: ${step.note}` : ''}</li>`)}
      </ul>`
    }
    ${request.evidence.length > 0 ? html`<${Evidence} token=${token} files=${request.evidence} />` : html`<p class="muted">No evidence.</p>`}
    ${
      waiting &&
      html`<div class="inline">
      <input aria-label="Note to the shopper" placeholder="Note to the shopper (needed to reject)" value=${note} onInput=${(e) => setNote(e.target.value)} size="40" />
      <button type="button" disabled=${busy} onClick=${() => decide('approve')}>Approve</button>
      <button type="button" class="danger" disabled=${busy} onClick=${() => decide('reject')}>Reject</button>
    </div>`
    }
    <${Problem} problem=${problem} />
  </div>`;
}

/** The shopper's photos and videos, each fetched with the bearer its signed link needs, shown from memory. */
function Evidence({ token, files }) {
  return html`<div class="evidence" data-testid="evidence">
    ${files.map((file) => html`<${EvidenceFile} key=${file.id} token=${token} file=${file} />`)}
  </div>`;
}

function EvidenceFile({ token, file }) {
  const [shown, setShown] = useState(null);
  // Photos load at once; a video (up to the upload limit) only when asked for.
  const [wanted, setWanted] = useState(!file.contentType.startsWith('video/'));
  // A signed link changes with every read of the queue: the file is fetched once, with the link it had then.
  const link = useRef(file.url);
  useEffect(() => {
    if (!wanted) return undefined;
    let objectUrl = null;
    let gone = false;
    void fetchEvidence(token, link.current).then((answer) => {
      if (gone) return;
      if (!answer.ok) return setShown({ problem: answer.problem });
      objectUrl = URL.createObjectURL(answer.blob);
      setShown({ url: objectUrl });
    });
    // The bytes stay in memory until the object URL is let go: when the file leaves the page.
    return () => {
      gone = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.id, wanted]);

  const caption = `${file.contentType}, ${Math.ceil(file.size / 1024)} KiB, uploaded`;
  let body;
  if (!wanted) body = html`<button type="button" onClick=${() => setWanted(true)}>Load video</button>`;
  else if (!shown) body = html`<span class="muted">Loading…</span>`;
  else if (shown.problem) body = html`<span class="warn">${shown.problem.title}</span>`;
  else if (file.contentType.startsWith('video/')) body = html`<video src=${shown.url} controls preload="metadata"></video>`;
  else body = html`<img src=${shown.url} alt=${`Evidence ${file.id}`} />`;
  return html`<figure data-evidence-id=${file.id}>
    ${body}
    <figcaption class="muted">${caption} <${Time} at=${file.uploadedAt} /></figcaption>
  </figure>`;
}
