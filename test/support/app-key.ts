import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(fileURLToPath(new URL('../../', import.meta.url)), '.cache', 'github-sim', 'app-key.pem');

let key: string | undefined;

/**
 * The simulated GitHub App's private key for the test harnesses: one key for every simulator
 * they start, on this machine, kept in the project's git-ignored .cache/. A simulator that
 * generates its own spends 0.1–0.3 s of CPU on it, and the e2e suites start well over a
 * hundred. Nothing the harnesses test depends on the key being new (the JWT checks are
 * test/github-sim/auth.test.ts's, on a simulator with its own key). Written under another
 * name and renamed: suites running side by side never read half a file.
 */
export function testAppKey(): string {
  if (key) return key;
  try {
    key = readFileSync(FILE, 'utf8');
    if (key.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return key;
  } catch {
    // not made yet on this machine
  }
  key = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  mkdirSync(dirname(FILE), { recursive: true });
  const scratch = `${FILE}.${process.pid}.${Date.now()}`;
  writeFileSync(scratch, key, { mode: 0o600 });
  renameSync(scratch, FILE);
  return key;
}
