/** The character limit GitHub puts on issue, pull request and comment bodies. */
export const GITHUB_BODY_LIMIT = 65_536;

/** What our bodies aim for: below the limit, with room for GitHub's own accounting. */
export const BODY_BUDGET = 65_000;
