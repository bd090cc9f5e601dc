/**
 * Which repository a REST request names, and whether its token may read or write it, answered
 * as GitHub answers: 401 for an anonymous write, 403 for the app's own JWT (it acts through
 * installations), and 404 rather than 403 wherever a 403 would reveal a private repository.
 */
import { HttpError, errorBody, notFound, type RestRequest } from './rest-types.js';
import type { SimRepo, SimState } from './state.js';

export function repoForRequest(state: SimState, req: RestRequest, access: 'read' | 'write'): SimRepo {
  const repo = state.repo(`${req.params.owner}/${req.params.repo}`);
  const auth = req.auth;
  if (access === 'write' && auth.kind === 'none')
    throw new HttpError(401, errorBody(401, 'Requires authentication'));
  if (auth.kind === 'app') throw new HttpError(403, errorBody(403, 'Resource not accessible by integration'));
  if (!repo) throw notFound();
  if (auth.kind === 'installation' && auth.account.toLowerCase() !== repo.owner.toLowerCase())
    throw notFound();
  if (auth.kind === 'none' && repo.private) throw notFound();
  if (auth.kind === 'user') {
    // A person's token reads what the person can read: public repositories, and private
    // ones they collaborate on (GitHub answers 404 for the rest, never 403).
    const role = state.roleOf(repo, auth.login);
    if (repo.private && !role) throw notFound();
    if (access === 'write' && !(role === 'admin' || role === 'maintain' || role === 'write'))
      throw new HttpError(403, errorBody(403, 'Resource not accessible by integration'));
  }
  return repo;
}
