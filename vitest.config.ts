import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const lib = (name: string): string => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));

/**
 * Tests that need the real Kafka broker and PostgreSQL are named `*.integration.spec.ts` or
 * `*.e2e.spec.ts`; every other spec is a unit test that runs without them (`npm run test:unit`).
 */
export const NEEDS_INFRASTRUCTURE = ['**/*.integration.spec.ts', '**/*.e2e.spec.ts'];

export function mallardTestConfig({ unitOnly }: { unitOnly: boolean }): ViteUserConfig {
  return {
    // Nest's dependency injection needs decorator metadata, which esbuild does not emit.
    plugins: [swc.vite({ module: { type: 'es6' } })],
    resolve: {
      alias: {
        '@mallard/client': lib('client'),
        '@mallard/contracts': lib('contracts'),
        '@mallard/messaging': lib('messaging'),
        '@mallard/money': lib('money'),
        '@mallard/platform': lib('platform'),
        '@mallard/pricing': lib('pricing'),
        '@mallard/testing': lib('testing'),
      },
    },
    test: {
      include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts'],
      exclude: unitOnly ? ['**/node_modules/**', ...NEEDS_INFRASTRUCTURE] : ['**/node_modules/**'],
      globalSetup: unitOnly ? [] : ['test/global-setup.ts'],
      reporters: ['default', './test/summary-reporter.ts'],
      // Decorators of class-transformer and Nest read metadata through this polyfill, as main.ts loads it.
      setupFiles: ['reflect-metadata'],
      // Integration suites share one broker and one database server on a 2-core machine.
      pool: 'forks',
      poolOptions: { forks: { maxForks: 2, minForks: 1 } },
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  };
}

export default defineConfig(mallardTestConfig({ unitOnly: false }));
