/**
 * GitHub App authentication as GitHub does it: an RS256 JWT signed with the app's private key
 * (iss = app id, at most 10 minutes long) buys an installation token that lasts one hour.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { HttpError, badCredentials, errorBody, type Auth } from './rest-types.js';
import type { SimState, SimToken, SimUserToken } from './state.js';

export const TOKEN_TTL_MS = 60 * 60 * 1000;

export interface AppKeys {
  /** PKCS#1 PEM, the format GitHub hands out. */
  privateKey: string;
  publicKey: KeyObject;
}

export function generateAppKeys(): AppKeys {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return appKeysOf(privateKey);
}

/** The keys of a given private key (PKCS#1 PEM). */
export function appKeysOf(privateKey: string): AppKeys {
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const jwtError = (message: string) => new HttpError(401, errorBody(401, message));

function decodePart(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (!value || typeof value !== 'object') throw new Error('not an object');
  return value as Record<string, unknown>;
}

/** Throws GitHub's 401 for any JWT that GitHub would refuse. */
export function verifyAppJwt(
  jwt: string,
  publicKey: KeyObject,
  appId: number,
  nowSec = Date.now() / 1000,
): void {
  const parts = jwt.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error('parts');
    header = decodePart(parts[0]!);
    claims = decodePart(parts[1]!);
  } catch {
    throw jwtError('A JSON web token could not be decoded');
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  if (header.alg !== 'RS256' || !verify('RSA-SHA256', signed, publicKey, signature)) {
    throw jwtError('A JSON web token could not be decoded');
  }
  if (String(claims.iss) !== String(appId)) throw jwtError("'Issuer' claim ('iss') must be an Integer");
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!Number.isInteger(iat) || iat > nowSec + 60) {
    throw jwtError(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    );
  }
  if (!Number.isInteger(exp) || exp <= nowSec) {
    throw jwtError(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    );
  }
  if (exp - iat > 600 + 60) throw jwtError("'Expiration time' claim ('exp') is too far in the future");
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function mintToken(state: SimState, installationId: number): SimToken {
  const t: SimToken = { token: randomToken('ghs_'), installationId, expiresAt: Date.now() + TOKEN_TTL_MS };
  state.tokens.set(t.token, t);
  return t;
}

/** User tokens from the OAuth web flow last eight hours, as GitHub's expiring ones do. */
export const USER_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

function randomToken(prefix: string): string {
  return prefix + [...randomBytes(36)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function mintUserToken(state: SimState, login: string): SimUserToken {
  const t: SimUserToken = { token: randomToken('ghu_'), login, expiresAt: Date.now() + USER_TOKEN_TTL_MS };
  state.userTokens.set(t.token, t);
  return t;
}

/** The installation an installation token belongs to, or null when unknown or expired. */
export function lookupToken(
  state: SimState,
  token: string,
): { installationId: number; account: string } | null {
  const t = state.tokens.get(token);
  if (!t || t.expiresAt <= Date.now()) return null;
  const inst = [...state.installations.values()].find((i) => i.id === t.installationId);
  return inst ? { installationId: inst.id, account: inst.account } : null;
}

/** The login a user token belongs to, or null when unknown or expired. */
export function lookupUserToken(state: SimState, token: string): string | null {
  const t = state.userTokens.get(token);
  return t && t.expiresAt > Date.now() ? t.login : null;
}

/**
 * REST credentials: `token X` or `Bearer X`, where X is an installation token, a user token
 * from the OAuth web flow, or an app JWT.
 */
export function resolveRestAuth(
  header: string | undefined,
  state: SimState,
  keys: { publicKey: KeyObject; appId: number },
): Auth {
  if (!header) return { kind: 'none' };
  const m = /^(token|bearer)\s+(\S+)$/i.exec(header.trim());
  if (!m) throw badCredentials();
  const credential = m[2]!;
  if (credential.split('.').length === 3) {
    verifyAppJwt(credential, keys.publicKey, keys.appId);
    return { kind: 'app' };
  }
  const found = lookupToken(state, credential);
  if (found) return { kind: 'installation', token: credential, ...found };
  const login = lookupUserToken(state, credential);
  if (login) return { kind: 'user', login, token: credential };
  throw badCredentials();
}

/** Git credentials: HTTP Basic with the token as password (any user name, as on GitHub). */
export function basicToken(header: string | undefined): string | null {
  const m = header ? /^basic\s+(\S+)$/i.exec(header.trim()) : null;
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(colon + 1);
}
