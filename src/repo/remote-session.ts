import { discoverUploadPack, type UploadPackDiscovery } from './transport/upload-pack-discovery.js';

/** Where a repository lives and how to authenticate; the token is asked for per request. */
export interface RemoteAccess {
  url: string;
  token(): Promise<string>;
}

/**
 * One job's view of a remote: the refs it needs, asked for once. The first question
 * (`tip`, `discovery`) makes one ref discovery with every ref prefix the job named up front
 * (the source branch, the targets, the app's own branches); every later question about
 * those refs is answered from that snapshot, with no request. A ref outside the prefixes
 * costs one more discovery, and `forget()` (after the remote was seen to move) makes the
 * next question ask again.
 */
export class RemoteSession {
  private pending: Promise<UploadPackDiscovery> | undefined;
  /** A v0 server lists every ref: once it answered, no ref is outside the snapshot. */
  private everyRef = false;
  private readonly prefixes: Set<string>;

  constructor(
    readonly remote: RemoteAccess,
    prefixes: Iterable<string> = [],
  ) {
    this.prefixes = new Set(prefixes);
  }

  /** A session whose refs are those of the given branches (`refs/heads/<name>`). */
  static forBranches(remote: RemoteAccess, branches: Iterable<string>): RemoteSession {
    return new RemoteSession(
      remote,
      [...branches].map((b) => `refs/heads/${b}`),
    );
  }

  /** The discovery answering `ref` (made now when none has yet, or when `ref` is outside it). */
  async discovery(ref?: string): Promise<UploadPackDiscovery> {
    if (ref !== undefined && !this.covers(ref)) {
      this.prefixes.add(ref);
      this.pending = undefined;
    }
    // No prefix would list every ref: HEAD alone is enough to learn the capabilities.
    const prefixes = this.prefixes.size > 0 ? [...this.prefixes] : ['HEAD'];
    this.pending ??= discoverUploadPack(this.remote.url, () => this.remote.token(), prefixes);
    try {
      const found = await this.pending;
      this.everyRef = found.version === 0;
      return found;
    } catch (err) {
      // A failed discovery is not remembered: the next question asks again.
      this.pending = undefined;
      throw err;
    }
  }

  /** The commit `refs/heads/<branch>` points at, or undefined when the remote has no such branch. */
  async tip(branch: string): Promise<string | undefined> {
    const ref = `refs/heads/${branch}`;
    return (await this.discovery(ref)).refs.get(ref);
  }

  /**
   * Where `refs/heads/<branch>` points right now: a discovery of that ref alone, made anew
   * whatever the snapshot says, and not kept (a second look, see `MoveGuard.lookAgain`).
   */
  async look(branch: string): Promise<string | undefined> {
    const ref = `refs/heads/${branch}`;
    return (await discoverUploadPack(this.remote.url, () => this.remote.token(), [ref])).refs.get(ref);
  }

  /** Drops the snapshot: the next question makes a fresh discovery. */
  forget(): void {
    this.pending = undefined;
    this.everyRef = false;
  }

  private covers(ref: string): boolean {
    if (this.everyRef && this.pending) return true;
    for (const p of this.prefixes) if (ref.startsWith(p)) return true;
    return false;
  }
}
