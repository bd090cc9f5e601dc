/**
 * The slice of GitHub's GraphQL schema the simulator answers (two mutations), and validation
 * of an operation against it with GitHub's error wording: unknown fields and input fields,
 * missing or mistyped arguments, undeclared, unused or invalid variables. A document that
 * passes resolves to plain inputs for the resolvers.
 */
import type { Field, Operation, Value } from './graphql-parse.js';

export const MUTATIONS = {
  enablePullRequestAutoMerge: {
    input: 'EnablePullRequestAutoMergeInput',
    payload: 'EnablePullRequestAutoMergePayload',
    fields: {
      pullRequestId: 'ID!',
      mergeMethod: 'PullRequestMergeMethod',
      commitHeadline: 'String',
      commitBody: 'String',
      authorEmail: 'String',
      expectedHeadOid: 'GitObjectID',
      clientMutationId: 'String',
    },
  },
  markPullRequestReadyForReview: {
    input: 'MarkPullRequestReadyForReviewInput',
    payload: 'MarkPullRequestReadyForReviewPayload',
    fields: { pullRequestId: 'ID!', clientMutationId: 'String' },
  },
} as const;

export type MutationName = keyof typeof MUTATIONS;

/** Output types: field → type (an object type when listed here, else a scalar or enum). */
export const OBJECT_TYPES: Record<string, Record<string, string>> = {
  EnablePullRequestAutoMergePayload: { clientMutationId: 'String', pullRequest: 'PullRequest' },
  MarkPullRequestReadyForReviewPayload: { clientMutationId: 'String', pullRequest: 'PullRequest' },
  PullRequest: {
    id: 'ID',
    number: 'Int',
    isDraft: 'Boolean',
    state: 'PullRequestState',
    url: 'URI',
    autoMergeRequest: 'AutoMergeRequest',
  },
  AutoMergeRequest: { enabledAt: 'DateTime', mergeMethod: 'PullRequestMergeMethod' },
};

const ENUMS: Record<string, readonly string[]> = { PullRequestMergeMethod: ['MERGE', 'SQUASH', 'REBASE'] };

export interface GraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  type?: string;
  extensions?: Record<string, unknown>;
}

export interface ValidCall {
  mutation: MutationName;
  field: Field;
  input: Record<string, unknown>;
}

/** The calls of a valid operation, or GitHub's validation errors. */
export function validate(op: Operation, variables: Record<string, unknown>): ValidCall[] | GraphQLError[] {
  const errors: GraphQLError[] = [];
  const used = new Set<string>();
  const calls: ValidCall[] = [];
  const opName = op.name ? `mutation '${op.name}'` : `anonymous ${op.type}`;
  const root = op.type === 'mutation' ? 'Mutation' : op.type === 'query' ? 'Query' : 'Subscription';
  for (const field of op.selection) {
    const spec = op.type === 'mutation' ? MUTATIONS[field.name as MutationName] : undefined;
    if (!spec) {
      errors.push({
        message: `Field '${field.name}' doesn't exist on type '${root}'`,
        ...where(field),
        path: [op.type, field.name],
        extensions: { code: 'undefinedField', typeName: root, fieldName: field.name },
      });
      continue;
    }
    const input = checkInput({ op, opName, variables, used, errors, field }, spec);
    checkSelection(field.selection, spec.payload, errors);
    if (input) calls.push({ mutation: field.name as MutationName, field, input });
  }
  for (const name of op.variables.keys()) {
    if (!used.has(name)) errors.push({ message: `Variable $${name} is declared by ${opName} but not used` });
  }
  return errors.length > 0 ? errors : calls;
}

const where = (f: Field) => ({ locations: [{ line: f.line, column: f.column }] });

interface Context {
  op: Operation;
  opName: string;
  variables: Record<string, unknown>;
  used: Set<string>;
  errors: GraphQLError[];
  field: Field;
}

/** The mutation's `input` argument as plain values, or undefined when it is wrong. */
function checkInput(
  ctx: Context,
  spec: (typeof MUTATIONS)[MutationName],
): Record<string, unknown> | undefined {
  const { field, errors } = ctx;
  for (const arg of field.args.keys()) {
    if (arg !== 'input')
      errors.push({ message: `Field '${field.name}' doesn't accept argument '${arg}'`, ...where(field) });
  }
  const value = field.args.get('input');
  if (!value) {
    errors.push({ message: `Field '${field.name}' is missing required arguments: input`, ...where(field) });
    return undefined;
  }
  if (value.kind !== 'object') {
    // A whole input object in one variable is valid GraphQL, but the app writes it out.
    const message = `Argument 'input' on Field '${field.name}' must be an input object written out (the simulator checks it field by field)`;
    errors.push({ message, ...where(field) });
    return undefined;
  }
  const fields = spec.fields as Record<string, string>;
  for (const key of value.fields.keys()) {
    if (!(key in fields))
      errors.push({
        message: `InputObject '${spec.input}' doesn't accept argument '${key}'`,
        ...where(field),
      });
  }
  const input: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) {
    const v = checkArgument(ctx, spec.input, name, type, value.fields.get(name));
    if (v !== undefined && v !== null) input[name] = v;
  }
  return input;
}

/** One input field's value (a variable's or a literal), or undefined after an error. */
function checkArgument(
  ctx: Context,
  inputType: string,
  name: string,
  type: string,
  value: Value | undefined,
): unknown {
  const { field, errors } = ctx;
  if (value?.kind === 'variable') {
    ctx.used.add(value.name);
    const declared = ctx.op.variables.get(value.name);
    if (declared === undefined) {
      errors.push({
        message: `Variable $${value.name} is used by ${ctx.opName} but not declared`,
        ...where(field),
      });
      return undefined;
    }
    const base = (t: string) => t.replace(/!$/, '');
    if (base(declared) !== base(type) || (type.endsWith('!') && !declared.endsWith('!'))) {
      const message = `Type mismatch on variable $${value.name} and argument ${name} (${declared} / ${type})`;
      errors.push({ message, ...where(field) });
      return undefined;
    }
    const v = ctx.variables[value.name];
    if (!fits(type, v)) {
      const message = `Variable $${value.name} of type ${declared} was provided invalid value`;
      errors.push({ message, ...where(field) });
      return undefined;
    }
    return v;
  }
  if (value === undefined) {
    if (type.endsWith('!'))
      errors.push({
        message: `Argument '${name}' on InputObject '${inputType}' is required. Expected type ${type}`,
        ...where(field),
      });
    return undefined;
  }
  const literal = literalOf(value);
  if (!fits(type, literal, value.kind === 'enum')) {
    const message = `Argument '${name}' on InputObject '${inputType}' has an invalid value. Expected type '${type}'.`;
    errors.push({ message, ...where(field) });
    return undefined;
  }
  return literal;
}

function checkSelection(selection: Field[], type: string, errors: GraphQLError[]): void {
  const fields = OBJECT_TYPES[type]!;
  if (selection.length === 0) {
    errors.push({ message: `Field must have selections (${type} returns an object)` });
    return;
  }
  for (const f of selection) {
    if (f.name === '__typename') continue;
    const t = fields[f.name];
    const loc = { locations: [{ line: f.line, column: f.column }] };
    if (t === undefined)
      errors.push({ message: `Field '${f.name}' doesn't exist on type '${type}'`, ...loc });
    else if (OBJECT_TYPES[t]) checkSelection(f.selection, t, errors);
    else if (f.selection.length > 0)
      errors.push({
        message: `Selections can't be made on scalars (field '${f.name}' returns ${t})`,
        ...loc,
      });
  }
}

function literalOf(v: Value): unknown {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
      return v.value;
    case 'null':
      return null;
    default:
      return v;
  }
}

/** Whether a value suits an input type (strings for ID, String and GitObjectID; enums by value). */
function fits(type: string, v: unknown, isEnumLiteral = false): boolean {
  const base = type.replace(/!$/, '');
  if (v === undefined || v === null) return !type.endsWith('!');
  const values = ENUMS[base];
  if (values) return typeof v === 'string' && values.includes(v);
  if (isEnumLiteral) return false;
  if (base === 'GitObjectID') return typeof v === 'string' && /^[0-9a-f]{40}$/.test(v);
  return typeof v === 'string';
}
