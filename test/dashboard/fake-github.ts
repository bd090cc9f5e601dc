// Just enough of GitHub for the dashboard, over real HTTP: the OAuth web flow (authorize,
// access_token), GET /user and GET /repos/{owner}/{repo} with a user's token.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeGitHub {
  /** Who "signs in" when the browser reaches the authorize page. */
  signInAs = 'amy';
  /** Private repositories and the logins that can read them. */
  readers = new Map<string, Set<string>>();
  /** When set, GET /repos answers with this status (to simulate an outage). */
  failRepos: number | null = null;
  readonly requests: string[] = [];
  private server: Server | undefined;
  private issued = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login/oauth/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri') as string);
      back.searchParams.set('code', `code-${this.signInAs}`);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return void res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const { code, client_secret } = JSON.parse(raw) as { code: string; client_secret: string };
      if (client_secret !== 'shh' || !code.startsWith('code-'))
        return json(200, { error: 'bad_verification_code' });
      return json(200, { access_token: `tok-${code.slice(5)}-${++this.issued}`, token_type: 'bearer' });
    }
    const login = /^Bearer tok-(.+)-\d+$/.exec(req.headers.authorization ?? '')?.[1];
    if (url.pathname === '/api/v3/user')
      return login ? json(200, { login }) : json(401, { message: 'Bad credentials' });
    const repo = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (repo) {
      if (this.failRepos) return json(this.failRepos, { message: 'Server Error' });
      const full = `${decodeURIComponent(repo[1]!)}/${decodeURIComponent(repo[2]!)}`;
      if (!login) return json(401, { message: 'Requires authentication' });
      return this.readers.get(full)?.has(login)
        ? json(200, { full_name: full, private: true })
        : json(404, { message: 'Not Found' });
    }
    json(404, { message: 'Not Found' });
  }
}
