/**
 * The changes from one OpenAPI 3.0 document to the next that can break a client built against
 * the first: a route, operation, response status or media type gone; a request field, parameter
 * or body that is newly required or gone; a response field gone or newly nullable; a type
 * changed, or a request value range, length or enum narrowed. Each is one line naming where it
 * is, e.g. `POST /api/v1/orders request body: lines[].skuId is newly required`.
 *
 * Additions a client can ignore (new routes, optional fields, new statuses) are not listed.
 * Schemas are followed through local `$ref`s and `allOf`.
 */
export function breakingChanges(before: OpenApiDocument, after: OpenApiDocument): string[] {
  const found: string[] = [];
  for (const [url, beforeItem] of Object.entries(before.paths ?? {})) {
    const afterItem = after.paths?.[url];
    for (const method of HTTP_METHODS) {
      const beforeOperation = beforeItem[method];
      if (!beforeOperation) continue;
      const where = `${method.toUpperCase()} ${url}`;
      const afterOperation = afterItem?.[method];
      if (!afterOperation) {
        found.push(`${where}: operation removed`);
        continue;
      }
      const compare = new SchemaComparison(before, after, found);
      compareParameters(where, beforeOperation.parameters ?? [], afterOperation.parameters ?? [], compare, found);
      compareRequestBody(where, beforeOperation.requestBody, afterOperation.requestBody, compare, found);
      compareResponses(where, beforeOperation.responses ?? {}, afterOperation.responses ?? {}, compare, found);
    }
  }
  return found;
}

/** As much of an OpenAPI 3.0 document as the comparison reads. */
export interface OpenApiDocument {
  paths?: Record<string, Partial<Record<HttpMethod, Operation>>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

function compareParameters(where: string, before: Parameter[], after: Parameter[], compare: SchemaComparison, found: string[]): void {
  const key = (parameter: Parameter) => `${parameter.in} parameter ${parameter.name}`;
  const afterByKey = new Map(after.map((parameter) => [key(parameter), parameter]));
  for (const parameter of before) {
    const match = afterByKey.get(key(parameter));
    // Unknown query parameters are refused (forbidNonWhitelisted), so a removed one breaks its senders.
    if (!match) found.push(`${where}: ${key(parameter)} removed`);
    else if (parameter.schema && match.schema) compare.schemas(`${where} ${key(parameter)}`, parameter.schema, match.schema, 'request');
  }
  const beforeByKey = new Map(before.map((parameter) => [key(parameter), parameter]));
  for (const parameter of after) {
    const old = beforeByKey.get(key(parameter));
    if (parameter.required && !old?.required) found.push(`${where}: ${key(parameter)} is ${old ? 'newly required' : 'new and required'}`);
  }
}

function compareRequestBody(
  where: string,
  before: Operation['requestBody'],
  after: Operation['requestBody'],
  compare: SchemaComparison,
  found: string[],
): void {
  if (after?.required && !before?.required) found.push(`${where}: request body is newly required`);
  for (const [mediaType, beforeMedia] of Object.entries(before?.content ?? {})) {
    const afterMedia = after?.content?.[mediaType];
    if (!afterMedia) found.push(`${where}: request body no longer accepts ${mediaType}`);
    else if (beforeMedia.schema && afterMedia.schema) {
      compare.schemas(`${where} request body`, beforeMedia.schema, afterMedia.schema, 'request');
    }
  }
}

function compareResponses(
  where: string,
  before: NonNullable<Operation['responses']>,
  after: NonNullable<Operation['responses']>,
  compare: SchemaComparison,
  found: string[],
): void {
  for (const [status, beforeResponse] of Object.entries(before)) {
    const afterResponse = after[status];
    if (!afterResponse) {
      found.push(`${where}: response ${status} removed`);
      continue;
    }
    for (const [mediaType, beforeMedia] of Object.entries(beforeResponse.content ?? {})) {
      const afterMedia = afterResponse.content?.[mediaType];
      if (!afterMedia) found.push(`${where}: response ${status} no longer answers ${mediaType}`);
      else if (beforeMedia.schema && afterMedia.schema) {
        compare.schemas(`${where} response ${status}`, beforeMedia.schema, afterMedia.schema, 'response');
      }
    }
  }
}

type Direction = 'request' | 'response';

/** Walks two schemas side by side, each resolved against its own document. */
class SchemaComparison {
  // A recursive schema (a tree of categories) would otherwise be walked forever.
  private readonly visited = new Set<string>();

  constructor(
    private readonly before: OpenApiDocument,
    private readonly after: OpenApiDocument,
    private readonly found: string[],
  ) {}

  schemas(where: string, beforeRaw: Schema, afterRaw: Schema, direction: Direction, field = ''): void {
    const refs = `${direction}:${beforeRaw.$ref ?? ''}:${afterRaw.$ref ?? ''}`;
    if (beforeRaw.$ref && afterRaw.$ref) {
      if (this.visited.has(refs)) return;
      this.visited.add(refs);
    }
    const before = flatten(beforeRaw, this.before);
    const after = flatten(afterRaw, this.after);
    const at = (text: string) => this.found.push(`${where}: ${field ? `${field} ` : ''}${text}`);

    if (before.type && after.type && before.type !== after.type) {
      at(`type changed from ${before.type} to ${after.type}`);
      return;
    }
    if (before.format !== after.format && after.format !== undefined)
      at(`format changed from ${before.format ?? 'none'} to ${after.format}`);
    if (direction === 'request') {
      if (before.nullable && !after.nullable) at('no longer accepts null');
      const refused = (before.enum ?? []).filter((value) => after.enum && !after.enum.includes(value));
      if (after.enum && !before.enum) at(`now accepts only ${JSON.stringify(after.enum)}`);
      else if (refused.length > 0) at(`no longer accepts ${refused.map((value) => JSON.stringify(value)).join(', ')}`);
      for (const narrowing of narrowedBounds(before, after)) at(narrowing);
    } else {
      if (after.nullable && !before.nullable) at('may now be null');
      const added = (after.enum ?? []).filter((value) => before.enum && !before.enum.includes(value));
      if (added.length > 0) at(`may now be ${added.map((value) => JSON.stringify(value)).join(', ')}`);
    }

    const afterRequired = new Set(after.required ?? []);
    const beforeRequired = new Set(before.required ?? []);
    const child = (name: string) => (field ? `${field}.${name}` : name);
    for (const [name, beforeProperty] of Object.entries(before.properties ?? {})) {
      const afterProperty = after.properties?.[name];
      if (!afterProperty) {
        // Removing a request field breaks its senders: unknown fields are refused (forbidNonWhitelisted).
        this.found.push(`${where}: ${child(name)} removed`);
        continue;
      }
      if (direction === 'response' && beforeRequired.has(name) && !afterRequired.has(name)) {
        this.found.push(`${where}: ${child(name)} is no longer always present`);
      }
      this.schemas(where, beforeProperty, afterProperty, direction, child(name));
    }
    if (direction === 'request') {
      for (const name of afterRequired) {
        if (!beforeRequired.has(name))
          this.found.push(`${where}: ${child(name)} is ${before.properties?.[name] ? 'newly required' : 'new and required'}`);
      }
    }
    if (before.items && after.items) this.schemas(where, before.items, after.items, direction, `${field}[]`);
  }
}

/** The schema with its `$ref` followed and its `allOf` members merged into one object schema. */
function flatten(schema: Schema, document: OpenApiDocument, depth = 0): Schema {
  if (depth > 32) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    return target ? flatten({ ...target, ...withoutRef(schema) }, document, depth + 1) : schema;
  }
  if (!schema.allOf) return schema;
  const { allOf, ...own } = schema;
  const merged: Schema = { ...own, properties: { ...own.properties }, required: [...(own.required ?? [])] };
  for (const member of allOf.map((part) => flatten(part, document, depth + 1))) {
    const { properties, required, ...rest } = member;
    Object.assign(merged, { ...rest, ...own, properties: merged.properties, required: merged.required });
    Object.assign(merged.properties as Record<string, Schema>, properties);
    merged.required?.push(...(required ?? []).filter((name) => !merged.required?.includes(name)));
  }
  return merged;
}

function withoutRef({ $ref: _ref, ...rest }: Schema): Schema {
  return rest;
}

const LOWER_BOUNDS = ['minimum', 'minLength', 'minItems'] as const;
const UPPER_BOUNDS = ['maximum', 'maxLength', 'maxItems'] as const;

/** What a request may no longer send: a higher lower bound, a lower upper bound, a new pattern. */
function narrowedBounds(before: Schema, after: Schema): string[] {
  const narrowed: string[] = [];
  for (const bound of LOWER_BOUNDS) {
    const was = before[bound] ?? Number.NEGATIVE_INFINITY;
    const is = after[bound];
    if (is !== undefined && is > was) narrowed.push(`${bound} raised from ${before[bound] ?? 'none'} to ${is}`);
  }
  for (const bound of UPPER_BOUNDS) {
    const was = before[bound] ?? Number.POSITIVE_INFINITY;
    const is = after[bound];
    if (is !== undefined && is < was) narrowed.push(`${bound} lowered from ${before[bound] ?? 'none'} to ${is}`);
  }
  if (after.pattern !== undefined && after.pattern !== before.pattern) narrowed.push(`pattern changed to ${after.pattern}`);
  return narrowed;
}
