import { AfterSalesQueue } from './after-sales.js';
import { DeadLetters } from './dead-letters.js';
import { FlashSales } from './flash-sales.js';
import { html, Problem } from './html.js';
import { readToken, TOKEN_KEY } from './lib.js';
import { OrderLookup } from './orders.js';
import { StockMovements } from './stock.js';
import { useState } from './vendor/hooks.mjs';
import { render } from './vendor/preact.mjs';
import { WarehouseQueue } from './warehouse.js';

/** Each tab with the roles its API routes admit: a tab the token cannot use is not shown. */
const TABS = [
  { id: 'orders', title: 'Orders', roles: ['customer-service', 'admin'], view: OrderLookup },
  { id: 'after-sales', title: 'After-sales', roles: ['customer-service', 'admin'], view: AfterSalesQueue },
  { id: 'warehouse', title: 'Warehouse', roles: ['warehouse', 'admin'], view: WarehouseQueue },
  { id: 'dead-letters', title: 'Dead letters', roles: ['admin'], view: DeadLetters },
  { id: 'stock', title: 'Stock', roles: ['admin'], view: StockMovements },
  { id: 'flash-sales', title: 'Flash sales', roles: ['admin'], view: FlashSales },
];

function signedIn() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  try {
    return { token, claims: readToken(token) };
  } catch {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
}

function SignIn({ onSignIn }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState(null);
  const submit = (event) => {
    event.preventDefault();
    try {
      const claims = readToken(token);
      // The tab's own storage: the token goes when the tab is closed.
      sessionStorage.setItem(TOKEN_KEY, token.trim());
      onSignIn({ token: token.trim(), claims });
    } catch (error) {
      setProblem({ title: 'Cannot sign in', detail: error.message });
    }
  };
  return html`<form class="sign-in" onSubmit=${submit}>
    <h1>Mallard console</h1>
    <p>Paste your bearer token (in development: <code>npm run -s token -- --sub you --role customer-service</code>).</p>
    <textarea name="token" rows="5" value=${token} onInput=${(e) => setToken(e.target.value)} required></textarea>
    <button type="submit">Sign in</button>
    <${Problem} problem=${problem} />
  </form>`;
}

function Console() {
  const [session, setSession] = useState(signedIn);
  const [tabId, setTabId] = useState(null);
  if (!session) return html`<${SignIn} onSignIn=${setSession} />`;

  const { token, claims } = session;
  const tabs = TABS.filter((tab) => tab.roles.some((role) => claims.roles.includes(role)));
  const tab = tabs.find((candidate) => candidate.id === tabId) ?? tabs[0];
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setSession(null);
  };
  return html`<header>
      <strong>Mallard console</strong>
      <nav>
        ${tabs.map(
          (candidate) =>
            html`<button type="button" class=${candidate === tab ? 'tab active' : 'tab'} data-tab=${candidate.id} onClick=${() => setTabId(candidate.id)}>
              ${candidate.title}
            </button>`,
        )}
      </nav>
      <span class="who" data-testid="who">${claims.sub} (${claims.roles.join(', ') || 'no role'}) until ${claims.expiresAt.toLocaleTimeString()}</span>
      <button type="button" onClick=${signOut}>Sign out</button>
    </header>
    ${
      tab
        ? html`<${tab.view} key=${tab.id} token=${token} claims=${claims} />`
        : html`<p class="problem" data-testid="no-tabs">
          The console is for staff: customer service, warehouse and admins. This token’s roles (${claims.roles.join(', ') || 'none'}) open none of
          its tabs.
        </p>`
    }`;
}

const root = document.getElementById('console');
// render() diffs against what is there: the loading notice would stay beside the console.
root.replaceChildren();
render(html`<${Console} />`, root);
