/**
 * Quoting for the commands we print. Branch names come from labels and may hold `$`, `;`,
 * quotes or backticks (git allows them all), so a pasted command must quote every word.
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,^-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One command line from its words. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
