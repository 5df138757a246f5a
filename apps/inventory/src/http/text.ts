import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A NUL or a UTF-16 surrogate without its pair: PostgreSQL cannot store either in text or jsonb. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store: refused with 400 at validation rather than failing the INSERT with a 500. */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !UNSTORABLE.test(value),
        defaultMessage: () => '$property must not contain NUL characters or unpaired UTF-16 surrogates',
      },
    },
    options,
  );
}
