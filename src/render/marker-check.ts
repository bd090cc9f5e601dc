import type { MarkedFile } from '../pick/find-markers.js';
import { fitList } from './fit-list.js';
import { inlineCode } from './no-ping.js';

/** The name of the safety check on the app's own backport PRs and drafts. */
export const MARKER_CHECK_NAME = 'Backport conflict markers';

/** What the check run says: the verdict, a title, and where the markers are. */
export interface MarkerCheckText {
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
}

const SUMMARY_BUDGET = 60_000;

/**
 * The marker check's report. It fails while any file the backport changed still holds a
 * conflict marker, so a draft pushed with markers cannot be merged by mistake; each file
 * is listed with the lines to look at.
 */
export function renderMarkerCheck(files: readonly MarkedFile[]): MarkerCheckText {
  if (files.length === 0) {
    return {
      conclusion: 'success',
      title: 'No conflict markers',
      summary:
        'No file this backport changes holds a conflict marker (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`).',
    };
  }
  const count = files.length === 1 ? '1 file' : `${files.length} files`;
  const items = files.map((f) => {
    const lines = f.lines.slice(0, 12).map((l) => `${l.line} (${inlineCode(l.marker)})`);
    const more = f.lines.length > 12 ? `, and ${f.lines.length - 12} more` : '';
    return `- ${inlineCode(f.path)}: line ${lines.join(', ')}${more}`;
  });
  return {
    conclusion: 'failure',
    title: `Conflict markers remain in ${count}`,
    summary: [
      'This backport still holds conflict markers. Resolve them (keep the right lines, delete every marker line), push, and this check runs again.',
      '',
      fitList(items, SUMMARY_BUDGET, (n) => `- … and ${n} more files`).join('\n'),
    ].join('\n'),
  };
}
