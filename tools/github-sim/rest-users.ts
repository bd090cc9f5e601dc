/**
 * The signed-in person (`GET /user`), for user tokens from the OAuth web flow. An app or
 * installation token is not a person: GitHub refuses those with 403.
 */
import { userJson } from './serialize-core.js';
import { HttpError, errorBody, type Handler } from './rest-types.js';

export const userHandlers: Record<string, Handler> = {
  'users/get-authenticated': async (req, sim) => {
    const auth = req.auth;
    if (auth.kind === 'none') throw new HttpError(401, errorBody(401, 'Requires authentication'));
    if (auth.kind !== 'user')
      throw new HttpError(403, errorBody(403, 'Resource not accessible by integration'));
    const user = sim.state.user(auth.login);
    const created = '2024-01-01T00:00:00Z';
    return {
      status: 200,
      body: {
        ...userJson(user, sim.urls),
        user_view_type: 'private',
        name: user.login,
        company: null,
        blog: '',
        location: null,
        email: null,
        hireable: null,
        bio: null,
        twitter_username: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: created,
        updated_at: created,
        private_gists: 0,
        total_private_repos: 0,
        owned_private_repos: 0,
        disk_usage: 0,
        collaborators: 0,
        two_factor_authentication: true,
      },
    };
  },
};
