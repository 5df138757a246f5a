import { type ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/** The one value `null`, written so OpenAPI 3.0 validators (ajv included) accept it: `nullable` needs a `type`. */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] } as const;

/**
 * A property holding an object of `model`'s schema or null. `nullable` beside an `allOf`
 * reference (what `type` + `nullable` would make) does not admit null in OpenAPI 3.0, so the
 * property is one of the reference and null. The model is not explored from here: the
 * controller answering it lists it in `@ApiExtraModels`.
 */
export function nullableObject(model: abstract new (...args: never[]) => unknown, description?: string): ApiPropertyOptions {
  return { oneOf: [{ $ref: getSchemaPath(model.name) }, NULL_ONLY], ...(description ? { description } : {}) } as ApiPropertyOptions;
}
