/**
 * A parser for the part of GraphQL the simulator answers: one operation with variable
 * definitions, fields with arguments (variables, strings, numbers, booleans, enums, null,
 * lists and input objects), aliases and nested selections. No fragments or directives: a
 * document using them is a parse error here, where GitHub would accept it, which makes the
 * simulator strict rather than lenient. Errors carry GitHub's wording and a line and column.
 */

export type Value =
  | { kind: 'variable'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: Value[] }
  | { kind: 'object'; fields: Map<string, Value> };

export interface Field {
  alias?: string;
  name: string;
  args: Map<string, Value>;
  selection: Field[];
  line: number;
  column: number;
}

export interface Operation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
  /** Declared variables and their type as written (`ID!`, `[String]`). */
  variables: Map<string, string>;
  selection: Field[];
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'string' | 'number' | 'variable' | 'eof';
  text: string;
  line: number;
  column: number;
}

const PUNCT = /^(\.\.\.|[!$():=@[\]{}|&])/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (kind: Token['kind'], text: string, start: number) =>
    tokens.push({ kind, text, line, column: start - lineStart + 1 });
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
    } else if (/[\s,\ufeff]/.test(c)) i++;
    else if (c === '#') while (i < source.length && source[i] !== '\n') i++;
    else if (c === '"') {
      const m = /^"((?:[^"\\\n]|\\.)*)"/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError('Unterminated string', line, i - lineStart + 1);
      at('string', JSON.parse(`"${m[1]!}"`) as string, i);
      i += m[0].length;
    } else if (c === '$') {
      const m = /^\$([_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice(i));
      if (!m) throw new GraphQLSyntaxError('Expected a variable name after "$"', line, i - lineStart + 1);
      at('variable', m[1]!, i);
      i += m[0].length;
    } else {
      const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
      const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      const punct = PUNCT.exec(source.slice(i));
      const m = name ?? num ?? punct;
      if (!m) throw new GraphQLSyntaxError(`Parse error on "${c}"`, line, i - lineStart + 1);
      at(name ? 'name' : num ? 'number' : 'punct', m[0], i);
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }
  private next(): Token {
    return this.tokens[this.at++]!;
  }
  private fail(t: Token): never {
    const what = t.kind === 'eof' ? 'end of file' : `"${t.text}" (${t.kind.toUpperCase()})`;
    throw new GraphQLSyntaxError(`Parse error on ${what} at [${t.line}, ${t.column}]`, t.line, t.column);
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.kind === 'string' || t.text !== text) this.fail(t);
    return t;
  }
  private is(text: string): boolean {
    const t = this.peek();
    return t.kind !== 'string' && t.text === text;
  }
  private name(): Token {
    const t = this.next();
    if (t.kind !== 'name') this.fail(t);
    return t;
  }

  document(): Operation {
    let type: Operation['type'] = 'query';
    let name: string | undefined;
    const variables = new Map<string, string>();
    if (!this.is('{')) {
      const t = this.name();
      if (t.text !== 'query' && t.text !== 'mutation' && t.text !== 'subscription') this.fail(t);
      type = t.text;
      if (this.peek().kind === 'name') name = this.next().text;
      if (this.is('(')) {
        this.next();
        while (!this.is(')')) {
          const v = this.next();
          if (v.kind !== 'variable') this.fail(v);
          this.expect(':');
          variables.set(v.text, this.type());
        }
        this.next();
      }
    }
    const selection = this.selection();
    if (this.peek().kind !== 'eof') this.fail(this.peek());
    return { type, ...(name !== undefined ? { name } : {}), variables, selection };
  }

  private type(): string {
    let text: string;
    if (this.is('[')) {
      this.next();
      text = `[${this.type()}]`;
      this.expect(']');
    } else text = this.name().text;
    if (this.is('!')) {
      this.next();
      text += '!';
    }
    return text;
  }

  private selection(): Field[] {
    this.expect('{');
    const fields: Field[] = [];
    while (!this.is('}')) fields.push(this.field());
    this.next();
    if (fields.length === 0) this.fail(this.tokens[this.at - 1]!);
    return fields;
  }

  private field(): Field {
    const first = this.name();
    let alias: string | undefined;
    let name = first.text;
    if (this.is(':')) {
      this.next();
      alias = name;
      name = this.name().text;
    }
    const args = new Map<string, Value>();
    if (this.is('(')) {
      this.next();
      while (!this.is(')')) {
        const arg = this.name().text;
        this.expect(':');
        args.set(arg, this.value());
      }
      this.next();
    }
    const selection = this.is('{') ? this.selection() : [];
    return {
      ...(alias !== undefined ? { alias } : {}),
      name,
      args,
      selection,
      line: first.line,
      column: first.column,
    };
  }

  private value(): Value {
    const t = this.next();
    if (t.kind === 'variable') return { kind: 'variable', name: t.text };
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'name') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'boolean', value: t.text === 'true' };
      if (t.text === 'null') return { kind: 'null' };
      return { kind: 'enum', value: t.text };
    }
    if (t.text === '[') {
      const values: Value[] = [];
      while (!this.is(']')) values.push(this.value());
      this.next();
      return { kind: 'list', values };
    }
    if (t.text === '{') {
      const fields = new Map<string, Value>();
      while (!this.is('}')) {
        const key = this.name().text;
        this.expect(':');
        fields.set(key, this.value());
      }
      this.next();
      return { kind: 'object', fields };
    }
    return this.fail(t);
  }
}

/** Parses a document holding exactly one operation. */
export function parseOperation(source: string): Operation {
  return new Parser(tokenize(source)).document();
}
