// Types of ./dev-secrets.mjs (plain ESM so that the launcher runs without a TypeScript loader).

export declare function localSecret(stateDir: string, name: string): string;

export interface CarrierWebhookSecrets {
  AFTERSHIP_WEBHOOK_SECRET: string;
  KUAIDI100_SALT: string;
  EASYPOST_WEBHOOK_SECRET: string;
}

export declare function carrierWebhookSecrets(stateDir: string, env?: Record<string, string | undefined>): CarrierWebhookSecrets;
