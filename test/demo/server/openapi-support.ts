/**
 * Checks real answers of the server against its own OpenAPI document: the answer's status must be
 * listed for that operation and its JSON body must validate (ajv, JSON Schema 2020-12, as
 * OpenAPI 3.1 uses it). Records what was checked, so a test can ask whether every operation was.
 */
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Reply } from './helpers.js';

interface Response {
  $ref?: string;
  description: string;
  content?: Record<string, { schema: Record<string, unknown> }>;
}
interface Operation {
  responses: Record<string, Response>;
}
export interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Response> };
}

/** The document's schema references, pointed at the schema set registered in ajv under `parley`. */
const local = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', 'parley#/$defs/')) as T;

export class ContractChecker {
  readonly #ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  readonly #doc: OpenApiDocument;
  /** `"post /api/auth/login 200"` for each answer checked. */
  readonly checked = new Set<string>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    this.#ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s) && !isNaN(Date.parse(s)));
    this.#ajv.addFormat('uri', (s: string) => URL.canParse(s));
    this.#ajv.addFormat('password', true);
    this.#ajv.addFormat('binary', true);
    this.#ajv.addSchema({ $id: 'parley', $defs: local(doc.components.schemas) });
  }

  /** Every schema of `components.schemas` compiles (a typo in the document fails here). */
  compileAll(): string[] {
    return Object.keys(this.#doc.components.schemas).map((name) => {
      assert.ok(this.#ajv.getSchema(`parley#/$defs/${name}`), name);
      return name;
    });
  }

  /** Asserts `reply` is an answer the document lists for `method template`, with a valid body. */
  conforms(method: string, template: string, reply: Reply): void {
    const where = `${method.toUpperCase()} ${template} -> ${reply.status}`;
    const operation = this.#doc.paths[template]?.[method];
    assert.ok(operation, `${method.toUpperCase()} ${template} is not in the document`);
    let response = operation.responses[String(reply.status)];
    assert.ok(response, `${where}: a status the document does not list (${JSON.stringify(reply.body)})`);
    if (response.$ref) response = this.#doc.components.responses[response.$ref.split('/').pop()!]!;
    const json = response.content?.['application/json'];
    if (!response.content) assert.equal(reply.body, null, `${where}: the document says no body`);
    else if (json) {
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, where);
      const validate = this.#ajv.compile(local(json.schema));
      assert.ok(
        validate(reply.body),
        `${where}: ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(reply.body)}`,
      );
    }
    this.checked.add(`${method} ${template} ${reply.status}`);
  }

  /** Operations of the document none of whose success answers was checked. */
  unchecked(): string[] {
    const missing: string[] = [];
    for (const [template, item] of Object.entries(this.#doc.paths))
      for (const [method, operation] of Object.entries(item)) {
        const ok = Object.keys(operation.responses).filter((s) => s.startsWith('2'));
        if (!ok.some((s) => this.checked.has(`${method} ${template} ${s}`))) missing.push(`${method} ${template}`);
      }
    return missing;
  }
}
