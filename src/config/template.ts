/**
 * `{name}` templates of `.github/backport.yml`. Only `{` + letters + `}` is a placeholder;
 * any other brace is literal text, so a template never needs escaping.
 */

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The placeholders each template field may use. */
export const TEMPLATE_PLACEHOLDERS = {
  label: ['target'],
  targetBranch: ['target'],
  branchName: ['number', 'target'],
  title: ['number', 'title', 'target', 'branch', 'base', 'author', 'merger', 'url', 'commits'],
  body: ['number', 'title', 'target', 'branch', 'base', 'author', 'merger', 'url', 'commits'],
} as const satisfies Record<string, readonly string[]>;

export type TemplateField = keyof typeof TEMPLATE_PLACEHOLDERS;

/** The distinct placeholder names a template uses, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Replaces each `{name}` that has a value; a placeholder without one is left as written
 * (the config parser has already refused templates with unknown placeholders).
 * Values are inserted verbatim: a caller writing Markdown escapes them first.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The literal text before the first placeholder. */
export function literalPrefix(template: string): string {
  const first = template.search(/\{[A-Za-z]+\}/);
  return first === -1 ? template : template.slice(0, first);
}
