import easypostPackage from '@easypost/api';

/**
 * The @easypost/api client class. The package's ES module build exports the class as its default,
 * but its typings are CommonJS-shaped, so TypeScript sees the default import as the whole module
 * and the class as its `default`. Taking `.default` when there is one suits both readings.
 */
export const EasyPostClient = ((easypostPackage as unknown as { default?: unknown }).default ??
  easypostPackage) as typeof easypostPackage.default;
export type EasyPostClient = InstanceType<typeof EasyPostClient>;
