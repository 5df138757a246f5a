import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';

/**
 * A bigint column read as a plain number: PostgreSQL's driver hands bigint back as a string,
 * and neither amounts of money beyond 2^53 minor units nor such counts are a mall's.
 */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * The one way to map an amount of money: a bigint column of minor units, read back as a
 * number. `@MoneyColumn({ name: 'payable_minor' }) payableMinor: number;`
 */
export function MoneyColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): PropertyDecorator {
  return Column('bigint', { ...options, transformer: bigintAsNumber });
}

/** A count that can outgrow an int (loyalty points), in a bigint column read as a number. */
export function CountColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}): PropertyDecorator {
  return Column('bigint', { ...options, transformer: bigintAsNumber });
}
