/** The part of minipass-fetch (which ships no types) that the app's Octokit uses. */
declare module 'minipass-fetch' {
  import type { Agent } from 'node:http';

  namespace fetch {
    interface FetchOptions {
      method?: string;
      headers?: Record<string, string>;
      body?: string | Uint8Array | null;
      redirect?: 'follow' | 'manual' | 'error';
      signal?: AbortSignal | null;
      /** Milliseconds for the answer's headers and, again, for its body; 0 for none. */
      timeout?: number;
      /** The agent for a request's URL (each redirect's too); with none, `Connection: close`. */
      agent?: (url: URL) => Agent;
    }
    interface FetchResponse {
      readonly status: number;
      readonly statusText: string;
      readonly ok: boolean;
      readonly url: string;
      readonly headers: Iterable<[string, string]> & { get(name: string): string | null };
      text(): Promise<string>;
      json(): Promise<unknown>;
      arrayBuffer(): Promise<ArrayBuffer>;
    }
  }
  function fetch(url: string | URL, options?: FetchOptions): Promise<FetchResponse>;
  export = fetch;
}
