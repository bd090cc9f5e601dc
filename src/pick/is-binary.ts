/** git's test for binary content: a NUL byte in the first 8000 bytes. */
export function isBinary(data: Uint8Array): boolean {
  // indexOf searches in native code (memchr for a Buffer): rename detection asks this of every
  // file it compares, and a loop over up to 8000 bytes each was several percent of a large
  // pick's instructions, more before the loop is optimized.
  const head = data.length > 8000 ? data.subarray(0, 8000) : data;
  return head.indexOf(0) !== -1;
}
