/**
 * Source-like text: code in a C-like or Python-like style, Markdown, and data files. The text
 * only has to look and diff like a project's files (indented blocks, comments, identifiers
 * reused within a file), not compile.
 */
import type { Prng } from './prng.js';
import { inventWords } from './invent-words.js';

export type Language = 'c' | 'python' | 'markdown' | 'data';

const TYPES = ['string', 'number', 'boolean', 'Buffer', 'Map<string, number>', 'Promise<void>', 'unknown'];
const OPS = ['<', '>', '===', '!==', '<=', '>=', '&&', '||'];

export class CodeText {
  readonly words: string[];
  /** The names a file being written keeps reusing, as real files do. */
  private pool: string[] = [];

  constructor(private readonly rng: Prng) {
    this.words = inventWords(rng, 2500);
  }

  word(): string {
    return this.rng.pick(this.words);
  }

  phrase(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.word());
    return out.join(' ');
  }

  identifier(): string {
    if (this.pool.length > 0 && this.rng.chance(0.85)) return this.rng.pick(this.pool);
    return this.freshIdentifier();
  }

  private freshIdentifier(): string {
    let id = this.word();
    const parts = this.rng.range(0, 2);
    for (let i = 0; i < parts; i++) {
      const w = this.word();
      id += w.charAt(0).toUpperCase() + w.slice(1);
    }
    return id;
  }

  typeName(): string {
    if (this.rng.chance(0.4)) return this.rng.pick(TYPES);
    const w = this.identifier();
    return w.charAt(0).toUpperCase() + w.slice(1);
  }

  private number(): string {
    const r = this.rng.int(8);
    if (r < 4) return String(this.rng.int(10));
    if (r < 6) return String(this.rng.int(1000));
    if (r === 6) return `0x${this.rng.int(65536).toString(16)}`;
    return (this.rng.int(10000) / 100).toFixed(2);
  }

  private args(max: number): string {
    const n = this.rng.int(max + 1);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.rng.chance(0.7) ? this.identifier() : this.number());
    return out.join(', ');
  }

  private expression(lang: Language): string {
    const quote = lang === 'python' ? '"' : "'";
    switch (this.rng.int(7)) {
      case 0:
        return `${this.identifier()}.${this.identifier()}(${this.args(3)})`;
      case 1:
        return `${this.identifier()} ${this.rng.pick(['+', '-', '*', '%'])} ${this.number()}`;
      case 2:
        return `${quote}${this.phrase(this.rng.range(1, 5))}${quote}`;
      case 3:
        return `[${this.args(4)}]`;
      case 4:
        return lang === 'python'
          ? `${this.identifier()}.get(${quote}${this.word()}${quote}, ${this.number()})`
          : `${this.identifier()}?.${this.identifier()} ?? ${this.number()}`;
      case 5:
        return lang === 'python'
          ? `${this.typeName()}(${this.args(3)})`
          : `new ${this.typeName()}(${this.args(3)})`;
      default:
        return this.number();
    }
  }

  /** One simple statement (no block), without indentation. */
  statement(lang: Language): string {
    if (lang === 'python') {
      switch (this.rng.int(6)) {
        case 0:
          return `${this.identifier()} = ${this.expression(lang)}`;
        case 1:
          return `${this.identifier()}.${this.identifier()}(${this.args(3)})`;
        case 2:
          return `return ${this.expression(lang)}`;
        case 3:
          return `# ${this.phrase(this.rng.range(3, 10))}`;
        case 4:
          return `${this.identifier()} += ${this.number()}`;
        default:
          return `raise ${this.typeName()}Error("${this.phrase(this.rng.range(2, 6))}")`;
      }
    }
    switch (this.rng.int(7)) {
      case 0:
        return `const ${this.identifier()} = ${this.expression(lang)};`;
      case 1:
        return `let ${this.identifier()}: ${this.typeName()} = ${this.expression(lang)};`;
      case 2:
        return `${this.identifier()}.${this.identifier()}(${this.args(3)});`;
      case 3:
        return `return ${this.expression(lang)};`;
      case 4:
        return `// ${this.phrase(this.rng.range(3, 10))}`;
      case 5:
        return `${this.identifier()} += ${this.number()};`;
      default:
        return `throw new ${this.typeName()}Error('${this.phrase(this.rng.range(2, 6))}');`;
    }
  }

  /** A few statements, sometimes with a nested block, at the given indentation. */
  statements(lang: Language, indent: string, count: number, depth = 0): string[] {
    const step = lang === 'python' ? '    ' : '  ';
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      if (depth < 2 && this.rng.chance(0.15)) {
        const inner = this.statements(lang, indent + step, this.rng.range(1, 4), depth + 1);
        if (lang === 'python') {
          lines.push(`${indent}if ${this.identifier()} ${this.rng.pick(OPS.slice(0, 4))} ${this.number()}:`);
          lines.push(...inner);
        } else {
          const head = this.rng.chance(0.5)
            ? `if (${this.identifier()} ${this.rng.pick(OPS)} ${this.number()}) {`
            : `for (const ${this.identifier()} of ${this.identifier()}) {`;
          lines.push(indent + head, ...inner, `${indent}}`);
        }
      } else {
        lines.push(indent + this.statement(lang));
      }
    }
    return lines;
  }

  /** A top-level unit: a function, a class, a section or a record, ending with a blank line. */
  block(lang: Language): string[] {
    const rng = this.rng;
    if (lang === 'markdown') {
      const lines = [`${'#'.repeat(rng.range(2, 3))} ${this.phrase(rng.range(2, 6))}`, ''];
      const paragraphs = rng.range(1, 3);
      for (let p = 0; p < paragraphs; p++) {
        const n = rng.range(2, 6);
        for (let i = 0; i < n; i++) lines.push(this.phrase(rng.range(8, 14)));
        lines.push('');
      }
      if (rng.chance(0.3)) {
        lines.push('```ts', ...this.statements('c', '', rng.range(2, 6)), '```', '');
      }
      return lines;
    }
    if (lang === 'data') {
      const lines = [`  "${this.identifier()}": {`];
      const n = rng.range(3, 12);
      for (let i = 0; i < n; i++) {
        const value = rng.chance(0.5) ? `"${this.phrase(rng.range(1, 4))}"` : this.number();
        lines.push(`    "${this.identifier()}": ${value}${i < n - 1 ? ',' : ''}`);
      }
      lines.push('  },');
      return lines;
    }
    if (lang === 'python') {
      const lines = [
        `def ${this.identifier()}(${this.args(4)}):`,
        `    """${this.phrase(rng.range(4, 12))}."""`,
      ];
      lines.push(...this.statements(lang, '    ', rng.range(3, 14)), '');
      return lines;
    }
    const lines = ['/**', ` * ${this.phrase(rng.range(5, 12))}.`];
    if (rng.chance(0.4)) lines.push(` * ${this.phrase(rng.range(5, 12))}.`);
    lines.push(' */');
    if (rng.chance(0.2)) {
      lines.push(`export class ${this.typeName()} {`);
      const methods = rng.range(2, 5);
      for (let m = 0; m < methods; m++) {
        lines.push(`  ${this.identifier()}(${this.args(3)}): ${this.typeName()} {`);
        lines.push(...this.statements(lang, '    ', rng.range(2, 8)), '  }', '');
      }
      lines.push('}', '');
      return lines;
    }
    lines.push(`export function ${this.identifier()}(${this.args(4)}): ${this.typeName()} {`);
    lines.push(...this.statements(lang, '  ', rng.range(3, 16)), '}', '');
    return lines;
  }

  /** A whole file of about `bytes` bytes. */
  file(lang: Language, bytes: number): string {
    const rng = this.rng;
    const names = rng.range(30, 120);
    for (let i = 0; i < names; i++) this.pool.push(this.freshIdentifier());
    const lines: string[] = [];
    if (lang === 'c') {
      lines.push(`// ${this.phrase(rng.range(4, 9))}`, '');
      const imports = rng.range(1, 6);
      for (let i = 0; i < imports; i++) {
        lines.push(`import { ${this.identifier()} } from './${this.word()}/${this.word()}.js';`);
      }
      lines.push('');
    } else if (lang === 'python') {
      lines.push(`"""${this.phrase(rng.range(4, 9))}."""`, '', `import ${this.word()}`, '');
    } else if (lang === 'markdown') {
      lines.push(`# ${this.phrase(rng.range(2, 5))}`, '');
    } else {
      lines.push('{');
    }
    let size = 0;
    for (const l of lines) size += l.length + 1;
    while (size < bytes) {
      for (const l of this.block(lang)) {
        lines.push(l);
        size += l.length + 1;
      }
    }
    if (lang === 'data') lines.push(`  "${this.word()}": true`, '}');
    this.pool = [];
    return lines.join('\n') + '\n';
  }

  /** The line with one token changed, as a small real edit changes it. */
  mutateLine(lang: Language, line: string): string {
    const tokens = [...line.matchAll(/[A-Za-z_][A-Za-z0-9_]{2,}|\d+/g)];
    if (tokens.length === 0 || this.rng.chance(0.2)) {
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      return indent + this.statement(lang);
    }
    const token = this.rng.pick(tokens);
    const at = token.index ?? 0;
    const replacement = /^\d/.test(token[0]) ? String(this.rng.int(100000)) : this.identifier();
    return line.slice(0, at) + replacement + line.slice(at + token[0].length);
  }
}
