import { formatMoney, formatTime } from './lib.js';
import htm from './vendor/htm.mjs';
import { h } from './vendor/preact.mjs';

/** Tagged templates instead of JSX: the browser runs the files as they are, with no build step. */
export const html = htm.bind(h);

/** An API refusal as the user should read it: its title, what went wrong, and the id to quote. */
export function Problem({ problem }) {
  if (!problem) return null;
  return html`<div class="problem" role="alert">
    <strong>${problem.title}</strong>${problem.status ? html` <span class="muted">(${problem.status})</span>` : null}
    ${problem.detail ? html`<p>${problem.detail}</p>` : null}
    ${problem.correlationId ? html`<p class="muted">Correlation id: <code>${problem.correlationId}</code></p>` : null}
  </div>`;
}

export const Money = ({ minor, currency }) => html`<span class="money">${formatMoney(minor, currency)}</span>`;

export const Time = ({ at }) => html`<time datetime=${at ?? ''}>${formatTime(at)}</time>`;

export const Badge = ({ value }) => html`<span class=${`badge badge-${String(value).toLowerCase()}`}>${value}</span>`;

/** A table from rows and columns `[heading, row => cell]`; a sentence when there are no rows. */
export function Table({ rows, columns, empty = 'None.', testId }) {
  if (!rows || rows.length === 0) return html`<p class="muted" data-testid=${testId}>${empty}</p>`;
  return html`<table data-testid=${testId}>
    <thead>
      <tr>
        ${columns.map(([heading]) => html`<th>${heading}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${columns.map(([, cell]) => html`<td>${cell(row)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
