/** git's test for binary content: a NUL byte in the first 8000 bytes. */
export function isBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, 8000);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}
