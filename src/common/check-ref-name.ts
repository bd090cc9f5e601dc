/**
 * Git's branch-name rules (`git check-ref-format --branch`), written out so a label can be
 * refused with a plain reason before anything touches a repository. The test suite holds this
 * against the real git binary on a few hundred awkward names.
 */

const FORBIDDEN: Record<string, string> = {
  ' ': 'a space',
  '~': '`~`',
  '^': '`^`',
  ':': '`:`',
  '?': '`?`',
  '*': '`*`',
  '[': '`[`',
  '\\': 'a backslash',
};

/**
 * Why `name` is not a usable branch name, or undefined when it is.
 *
 * One rule is stricter than git: a lone `@` is refused, because every revision argument
 * reads it as `HEAD`, so the finishing commands we print would act on the wrong thing.
 */
export function checkBranchName(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.startsWith('-')) return 'it starts with `-`';
  if (name === 'HEAD') return '`HEAD` is reserved by git';
  if (name === '@') return '`@` alone means `HEAD` to git';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return 'it contains a control character';
    const what = FORBIDDEN[ch];
    if (what) return `it contains ${what}`;
  }
  if (name.includes('..')) return 'it contains `..`';
  if (name.includes('@{')) return 'it contains `@{`';
  if (name.endsWith('/')) return 'it ends with `/`';
  if (name.endsWith('.')) return 'it ends with `.`';
  for (const component of name.split('/')) {
    if (component === '') return name.startsWith('/') ? 'it starts with `/`' : 'it contains `//`';
    if (component.startsWith('.')) return 'a part of it starts with `.`';
    if (component.endsWith('.lock')) return 'a part of it ends with `.lock`';
  }
  return undefined;
}

export function isValidBranchName(name: string): boolean {
  return checkBranchName(name) === undefined;
}
