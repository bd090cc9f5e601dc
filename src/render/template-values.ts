/**
 * Values for the `title` and `body` templates of `.github/backport.yml`. The title is plain
 * text (GitHub renders no Markdown there); the body is Markdown, so user text is escaped.
 */
import { flattenControlChars } from '../common/control-chars.js';
import { renderTemplate } from '../config/template.js';
import { inlineCode, inlineText, personName } from './no-ping.js';
import { shortSha } from './links.js';
import type { CommitInfo, SourcePullRequest } from '../common/source-pull-request.js';

export interface TemplateContext {
  source: SourcePullRequest;
  target: string;
  /** The target branch. */
  branch: string;
  commits: readonly CommitInfo[];
}

/** GitHub cuts titles longer than this. */
const TITLE_LIMIT = 256;

export function renderTitle(template: string, context: TemplateContext): string {
  const { source } = context;
  const title = renderTemplate(template, {
    number: source.number,
    title: source.title,
    target: context.target,
    branch: context.branch,
    base: source.base,
    author: source.author,
    merger: source.merger ?? '',
    url: source.url,
    commits: context.commits.map((c) => shortSha(c.sha)).join(', '),
  });
  const flat = flattenControlChars(title).trim();
  return flat.length > TITLE_LIMIT ? `${flat.slice(0, TITLE_LIMIT - 1)}…` : flat;
}

export function renderMarkdownTemplate(template: string, context: TemplateContext): string {
  const { source } = context;
  return renderTemplate(template, {
    number: source.number,
    title: inlineText(source.title),
    target: inlineCode(context.target),
    branch: inlineCode(context.branch),
    base: inlineCode(source.base),
    author: personName(source.author),
    merger: source.merger ? personName(source.merger) : '',
    url: source.url,
    commits: context.commits.map((c) => shortSha(c.sha)).join(', '),
  });
}
