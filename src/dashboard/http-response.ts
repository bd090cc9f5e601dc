/**
 * Writing dashboard responses with the headers every page needs: no scripts, no framing,
 * no caching of pages that depend on who asks, and no referrer carrying an OAuth code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
};

export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(bytes.length),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(303, {
    ...SECURITY_HEADERS,
    location,
    'content-length': '0',
    ...(cookies.length ? { 'set-cookie': cookies } : {}),
  });
  res.end();
}
