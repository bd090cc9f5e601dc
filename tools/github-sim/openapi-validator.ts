/**
 * Checks requests the app sends and responses the simulator answers against the slice of
 * GitHub's OpenAPI description in tools/github-sim/openapi/operations.json, so that the simulator
 * cannot drift into an API GitHub does not have.
 *
 * OpenAPI 3.0 marks null with `nullable: true`, which JSON Schema does not know: on load each
 * such schema becomes `type: [t, 'null']` (or `anyOf [schema, null]`). Component schemas move
 * under `definitions` of one registered document so Ajv resolves every `$ref` itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

const Ajv = AjvModule.default;
type AjvInstance = InstanceType<typeof Ajv>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Obj;
}

export interface OperationSpec {
  operationId: string;
  method: string;
  path: string;
  parameters: OperationParameter[];
  requestBody?: { required: boolean; schema: Obj };
  responses: Record<string, { schema?: Obj }>;
}

export interface OpenApiFixture {
  source: string;
  operations: OperationSpec[];
  components: { schemas: Record<string, Obj> };
}

const DOC_ID = 'github-openapi.json';

export function defaultFixturePath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'openapi', 'operations.json');
}

/** OpenAPI 3.0 → JSON Schema: nullable, and $refs pointing into the registered document. */
function toJsonSchema(node: Json, refPrefix: string): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, refPrefix));
  if (!node || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/components/schemas/', refPrefix);
    else if (k !== 'nullable') out[k] = toJsonSchema(v, refPrefix);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${where}${e.instancePath} ${e.message ?? 'is invalid'}`.trim())
    .join('; ');
}

export interface RequestCheck {
  /** Human-readable problems; empty when the request is on spec. */
  problems: string[];
  /** Query parameters converted to the types the spec gives (numbers, booleans). */
  query: Record<string, unknown>;
}

export class OpenApiValidator {
  readonly operations: OperationSpec[];
  readonly source: string;
  private readonly ajv: AjvInstance;
  private readonly coercing: AjvInstance;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(fixturePath = defaultFixturePath()) {
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as OpenApiFixture;
    this.source = fixture.source;
    this.operations = fixture.operations;
    const doc = {
      $id: DOC_ID,
      definitions: toJsonSchema(fixture.components.schemas as Obj, '#/definitions/'),
    };
    // Compiling is most of a simulator's start in each test file, and GitHub's schemas share
    // their components (users, repositories) many times over: a `$ref` compiled once as its
    // own function (inlineRefs false) and code generated without the optimizing passes take
    // about a third less CPU to compile every operation (1.7–2.1 s → 1.0–1.3 s), for the
    // same answers.
    const options = {
      strict: false,
      validateFormats: false,
      allErrors: true,
      inlineRefs: false,
      code: { optimize: false },
    } as const;
    this.ajv = new Ajv(options);
    this.coercing = new Ajv({ ...options, coerceTypes: 'array' as const, useDefaults: true });
    this.ajv.addSchema(doc);
    this.coercing.addSchema(doc);
  }

  /**
   * Compiles every operation's checks now rather than on its first request. A benchmark calls
   * this before its clock starts: compiling takes about a second, and on first use it would
   * delay the simulator's answers inside the timed window, as time the app never spent.
   */
  precompile(): void {
    for (const op of this.operations) {
      this.paramsValidator(op, 'path');
      this.paramsValidator(op, 'query');
      if (op.requestBody) this.compile(`${op.operationId} body`, op.requestBody.schema, this.ajv);
      for (const [status, spec] of Object.entries(op.responses)) {
        if (spec.schema) this.compile(`${op.operationId} ${status}`, spec.schema, this.ajv);
      }
    }
  }

  find(operationId: string): OperationSpec | undefined {
    return this.operations.find((o) => o.operationId === operationId);
  }

  private compile(key: string, schema: Obj, ajv: AjvInstance): ValidateFunction {
    let fn = this.cache.get(key);
    if (!fn) {
      fn = ajv.compile(toJsonSchema(schema, `${DOC_ID}#/definitions/`) as Obj);
      this.cache.set(key, fn);
    }
    return fn;
  }

  private paramsValidator(op: OperationSpec, where: 'path' | 'query'): ValidateFunction {
    const params = op.parameters.filter((p) => p.in === where);
    const schema: Obj = {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
      required: params.filter((p) => p.required).map((p) => p.name),
    };
    return this.compile(`${op.operationId} ${where}`, schema, this.coercing);
  }

  validateRequest(
    op: OperationSpec,
    input: { params: Record<string, string>; query: Record<string, string>; body: unknown },
  ): RequestCheck {
    const problems: string[] = [];
    const params: Record<string, unknown> = { ...input.params };
    const query: Record<string, unknown> = { ...input.query };
    const pathCheck = this.paramsValidator(op, 'path');
    if (!pathCheck(params)) problems.push(describe(pathCheck.errors, 'path'));
    const queryCheck = this.paramsValidator(op, 'query');
    if (!queryCheck(query)) problems.push(describe(queryCheck.errors, 'query'));
    if (op.requestBody) {
      if (input.body === undefined) {
        if (op.requestBody.required) problems.push('body is required');
      } else {
        const bodyCheck = this.compile(`${op.operationId} body`, op.requestBody.schema, this.ajv);
        if (!bodyCheck(input.body)) problems.push(describe(bodyCheck.errors, 'body'));
      }
    }
    return { problems, query };
  }

  /** A problem with a response the simulator is about to send, or null when it is on spec. */
  validateResponse(op: OperationSpec, status: number, body: unknown): string | null {
    const spec = op.responses[String(status)] ?? op.responses.default;
    if (!spec) return status < 300 ? `status ${status} is not documented` : null;
    if (!spec.schema || body === undefined) return null;
    const check = this.compile(`${op.operationId} ${status}`, spec.schema, this.ajv);
    return check(body) ? null : describe(check.errors, 'response');
  }
}
