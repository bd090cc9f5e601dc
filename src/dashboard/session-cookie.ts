/**
 * Sealed cookies for the dashboard: AES-256-GCM under a key derived from the app's secret, so
 * the browser holds the session (nothing lives only in the server's memory, and a restart
 * keeps people signed in) yet can neither read the GitHub token in it nor forge one.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface Session {
  /** The user's GitHub token from the OAuth web flow. */
  token: string;
  login: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function seal(value: unknown, secret: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url');
}

/** The sealed value, or undefined when it was tampered with, sealed for another purpose, or garbage. */
export function unseal(sealed: string, secret: string, purpose: string): unknown {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function openSession(sealed: string | undefined, secret: string, now: number): Session | null {
  if (!sealed) return null;
  const s = unseal(sealed, secret, 'session') as Partial<Session> | undefined;
  if (!s || typeof s.token !== 'string' || typeof s.login !== 'string' || typeof s.expiresAt !== 'number')
    return null;
  return s.expiresAt > now ? (s as Session) : null;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in out)) out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

export interface CookieOptions {
  path: string;
  secure: boolean;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

export function cookie(name: string, value: string, o: CookieOptions): string {
  // Lax, not Strict: the OAuth callback is a top-level navigation coming from GitHub.
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

function keyFor(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`backport-assistant dashboard ${purpose}\0${secret}`).digest();
}
