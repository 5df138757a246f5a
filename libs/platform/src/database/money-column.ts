import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';

/**
 * Money lives in bigint columns (minor units) but is a plain number in code: PostgreSQL's
 * driver hands bigint back as a string, and amounts beyond 2^53 minor units are not a mall's.
 */
export const minorUnits: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * The one way to map an amount of money: a bigint column of minor units, read back as a
 * number. `@MoneyColumn({ name: 'payable_minor' }) payableMinor: number;`
 */
export function MoneyColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): PropertyDecorator {
  return Column('bigint', { ...options, transformer: minorUnits });
}
