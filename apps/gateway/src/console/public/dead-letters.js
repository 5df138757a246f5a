import { Badge, html, Problem, Table, Time } from './html.js';
import { callApi } from './lib.js';
import { useEffect, useState } from './vendor/hooks.mjs';

/** Admins: the dead-letter desk of docs/operations.md, group by group. */
export function DeadLetters({ token }) {
  const [groups, setGroups] = useState(null);
  const [open, setOpen] = useState(null);
  const [problem, setProblem] = useState(null);

  const load = async () => {
    const answer = await callApi(token, 'GET', '/api/v1/admin/dead-letters');
    setGroups(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Loads once, when the tab opens.
  useEffect(() => {
    void load();
  }, []);

  return html`<section>
    <button type="button" onClick=${load}>Refresh</button>
    <${Problem} problem=${problem} />
    ${
      groups &&
      html`<${Table}
      testId="dead-letter-groups"
      rows=${groups}
      empty="No consumer group has a dead-letter topic yet."
      columns=${[
        ['Consumer group', (g) => html`<code>${g.consumerGroup}</code>`],
        ['Topic', (g) => html`<code>${g.topic}</code>`],
        ['Pending', (g) => g.pending],
        ['Replayed', (g) => g.replayed],
        ['Discarded', (g) => g.discarded],
        ['', (g) => html`<button type="button" onClick=${() => setOpen(g.consumerGroup)}>Open</button>`],
      ]}
    />`
    }
    ${open && html`<${GroupLetters} key=${open} token=${token} group=${open} onChanged=${load} />`}
  </section>`;
}

function GroupLetters({ token, group, onChanged }) {
  const [letters, setLetters] = useState(null);
  const [problem, setProblem] = useState(null);
  const [why, setWhy] = useState('');
  const [force, setForce] = useState(false);
  // One letter whole (its headers and body): what an operator reads to find the cause.
  const [detail, setDetail] = useState(null);

  const load = async () => {
    const answer = await callApi(token, 'GET', `/api/v1/admin/dead-letters/${encodeURIComponent(group)}`);
    setLetters(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };
  // Loads once per group: the component is keyed by it.
  useEffect(() => {
    void load();
  }, []);

  const act = async (letter, action) => {
    const answer = await callApi(token, 'POST', `/api/v1/admin/dead-letters/${encodeURIComponent(group)}/${letter.id}/${action}`, {
      why: why.trim(),
      ...(force ? { force: true } : {}),
    });
    if (!answer.ok) return setProblem(answer.problem);
    await load();
    onChanged();
  };

  const show = async (letter) => {
    const answer = await callApi(token, 'GET', `/api/v1/admin/dead-letters/${encodeURIComponent(group)}/${letter.id}`);
    setDetail(answer.ok ? answer.data : null);
    setProblem(answer.ok ? null : answer.problem);
  };

  return html`<div class="card" data-testid="dead-letters">
    <h3>Dead letters of <code>${group}</code></h3>
    <div class="inline">
      <input aria-label="Why" placeholder="Why (recorded with your name)" value=${why} onInput=${(e) => setWhy(e.target.value)} size="40" />
      <label><input type="checkbox" checked=${force} onChange=${(e) => setForce(e.target.checked)} /> force (a letter already handled)</label>
    </div>
    <${Problem} problem=${problem} />
    ${
      letters &&
      html`<${Table}
      rows=${letters}
      empty="No letter."
      columns=${[
        ['Id', (l) => html`<code>${l.id}</code>`],
        ['Failed', (l) => html`<${Time} at=${l.failedAt} />`],
        ['Event', (l) => html`${l.eventType ?? '—'}<br /><code>${l.sourceTopic}</code> @${l.sourceOffset}`],
        ['Kind', (l) => l.kind],
        ['Reason', (l) => l.reason],
        ['Status', (l) => html`<${Badge} value=${l.status} />`],
        [
          'History',
          (l) =>
            l.history.map(
              (h) =>
                html`<div data-testid="dead-letter-action">${h.action}${h.forced ? ' (forced)' : ''} by ${h.by}, <${Time} at=${h.at} />: ${h.why}</div>`,
            ),
        ],
        [
          '',
          (l) => html`<button type="button" onClick=${() => show(l)}>Show</button>
            <button type="button" disabled=${!why.trim()} onClick=${() => act(l, 'replay')}>Replay</button>
            <button type="button" class="danger" disabled=${!why.trim()} onClick=${() => act(l, 'discard')}>Discard</button>`,
        ],
      ]}
    />`
    }
    ${
      detail &&
      html`<div data-testid="dead-letter-detail">
        <h4>Letter <code>${detail.id}</code>: ${detail.eventType ?? 'unreadable'}, key <code>${detail.key ?? '—'}</code></h4>
        <p>${detail.reason}</p>
        <pre data-testid="dead-letter-body">${prettyBody(detail.body)}</pre>
      </div>`
    }
  </div>`;
}

/** The body as it was sent; indented when it is JSON, so the fields an operator looks for stand out. */
function prettyBody(body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
