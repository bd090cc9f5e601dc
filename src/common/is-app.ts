/**
 * True when `author` is the app itself (its bot user). The ledger trusts only the app's own
 * pull requests, issues and comments, and the GitHub adapters filter on it, so it sits low.
 */
export function isApp(author: { login: string } | null | undefined, appLogin: string): boolean {
  return !!author && author.login.toLowerCase() === appLogin.toLowerCase();
}
