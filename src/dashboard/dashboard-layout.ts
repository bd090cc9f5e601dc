/**
 * The frame every dashboard page shares: head, a header with sign-in state, and the CSS.
 */
import type { SafeHtml } from './html.js';
import { html, trusted } from './html.js';

export interface PageContext {
  /** Where the dashboard is mounted, e.g. `/backport`. */
  prefix: string;
  /** The signed-in GitHub login, if any. */
  user: string | null;
  /** This page's path, to come back to after signing in. */
  here: string;
  /** False when sign-in with GitHub is not configured. */
  canSignIn: boolean;
}

export function layout(title: string, content: SafeHtml, ctx: PageContext): string {
  const account = ctx.user
    ? html`Signed in as ${ctx.user} · <a href="${ctx.prefix}/logout">Sign out</a>`
    : !ctx.canSignIn
      ? ''
      : html`<a href="${ctx.prefix}/login?return=${encodeURIComponent(ctx.here)}">Sign in with GitHub</a>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${trusted(CSS)}
        </style>
      </head>
      <body>
        <header><a href="${ctx.prefix}/">Backport status</a><span>${account}</span></header>
        <main>${content}</main>
      </body>
    </html> `.value;
}

const CSS = `
body{font:14px/1.5 system-ui,sans-serif;color:#24292f;margin:0;background:#f6f8fa}
header{display:flex;justify-content:space-between;padding:.75rem 1.5rem;background:#24292f}
header a,header span{color:#fff}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem}
a{color:#0969da}
table{border-collapse:collapse;margin:.75rem 0;background:#fff;width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.num{text-align:right}
.badge{font-size:.75rem;border:1px solid #8c959f;border-radius:1rem;padding:0 .5rem;color:#57606a}
.muted{color:#57606a}
.stats{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}
.stats dt{font-size:.8rem;color:#57606a}.stats dd{margin:0;font-size:1.2rem;font-weight:600}
.branch{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.checks.failure,.applies.conflict{color:#cf222e}.checks.success,.applies.clean{color:#1a7f37}
ul.inline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem}
figure{margin:0;background:#fff;padding:.5rem;border:1px solid #d0d7de;border-radius:6px;overflow-x:auto}
`;
