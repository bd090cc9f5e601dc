/**
 * A tiny safe-HTML builder for the dashboard: the `html` tag escapes every interpolated value
 * unless it is already `SafeHtml` (built by this tag), so a page cannot forget to escape a
 * PR title. Arrays are joined; null, undefined and false render as nothing.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values (HTML and SVG alike). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] as string);
  });
  return new SafeHtml(out);
}

/** Marks trusted markup (our own SVG) as safe. Never call it on user text. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** An href that can only be http(s) or a path of ours: anything else becomes `#`. */
export function safeHref(url: string): string {
  return /^(https?:\/\/|\/)/i.test(url) && !/^\/\//.test(url) ? url : '#';
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}
