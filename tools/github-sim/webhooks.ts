/**
 * Webhook payloads and deliveries. Payloads start from GitHub's own examples
 * (@octokit/webhooks-examples) and take the simulator's objects over the example's, so fields
 * the simulator does not model keep realistic values. Deliveries are signed like GitHub's and
 * kept byte for byte so a test can redeliver one.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';

type Json = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: Json[];
}

let examples: ExampleGroup[] | undefined;

function loadExamples(): ExampleGroup[] {
  if (!examples) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/webhooks-examples/api.github.com/index.json');
    examples = JSON.parse(readFileSync(file, 'utf8')) as ExampleGroup[];
  }
  return examples;
}

/** A deep copy of GitHub's example for the event (and action, when there is one for it). */
export function examplePayload(event: string, action?: string): Json {
  const group = loadExamples().find((g) => g.name === event);
  if (!group || group.examples.length === 0) throw new Error(`no webhook example for ${event}`);
  const example = group.examples.find((e) => e.action === action) ?? group.examples[0]!;
  const copy = structuredClone(example);
  if (action !== undefined) copy.action = action;
  return copy;
}

/** Overrides on top of an example: objects are merged one level deep, the rest replaced. */
export function withOverrides(base: Json, overrides: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    const current = out[k];
    const mergeable =
      v && typeof v === 'object' && !Array.isArray(v) && current && typeof current === 'object';
    out[k] = mergeable ? { ...(current as Json), ...(v as Json) } : v;
  }
  return out;
}

export interface Delivery {
  id: string;
  event: string;
  action: string | undefined;
  url: string;
  headers: Record<string, string>;
  /** The exact bytes that were sent. */
  body: string;
  /** The app's HTTP status, or null when the request failed. */
  status: number | null;
  error?: string;
  redelivery: boolean;
}

export function sign(secret: string, body: string): { sha1: string; sha256: string } {
  return {
    sha1: `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
    sha256: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];

  constructor(
    public url: string | undefined,
    readonly secret: string,
    private readonly appId: number,
  ) {}

  /** Signs and POSTs the payload as is; resolves with the app's status (null if unreachable). */
  async deliver(event: string, payload: Json): Promise<Delivery> {
    if (!this.url) throw new Error('deliver: the simulator has no webhookUrl');
    const body = JSON.stringify(payload);
    const sig = sign(this.secret, body);
    const delivery: Delivery = {
      id: randomUUID(),
      event,
      action: typeof payload.action === 'string' ? payload.action : undefined,
      url: this.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/sim',
        'x-github-event': event,
        'x-github-hook-id': '1',
        'x-github-hook-installation-target-id': String(this.appId),
        'x-github-hook-installation-target-type': 'integration',
        'x-hub-signature': sig.sha1,
        'x-hub-signature-256': sig.sha256,
      },
      body,
      status: null,
      redelivery: false,
    };
    delivery.headers['x-github-delivery'] = delivery.id;
    this.deliveries.push(delivery);
    await this.send(delivery);
    return delivery;
  }

  /** Sends a stored delivery again with the same id, headers and bytes, as GitHub's redeliver does. */
  async redeliver(id: string): Promise<Delivery> {
    const original = this.deliveries.find((d) => d.id === id);
    if (!original) throw new Error(`redeliver: no delivery ${id}`);
    const again: Delivery = { ...original, status: null, redelivery: true };
    delete again.error;
    this.deliveries.push(again);
    await this.send(again);
    return again;
  }

  private async send(d: Delivery): Promise<void> {
    try {
      d.status = await post(d.url, d.headers, d.body);
    } catch (err) {
      d.error = err instanceof Error ? err.message : String(err);
    }
  }
}
