/**
 * The dashboard's tables: a caption, a header row and a row per item. An empty table is left
 * out entirely, so a quiet branch shows only what it has.
 */
import type { HtmlValue, SafeHtml } from './html.js';
import { html } from './html.js';

export function captionedTable(caption: string, head: string[], rows: HtmlValue[][]): SafeHtml | '' {
  if (rows.length === 0) return '';
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${head.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
