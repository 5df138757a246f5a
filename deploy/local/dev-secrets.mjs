// Secrets of a local suite (`npm start`): made on first use into the state dir (.mallard/,
// git-ignored, readable by its owner only) and reused, so services started by separate runs, and
// the benchmark that signs carriers' webhooks, agree on them. Only the local launcher and the
// benchmark read this; compose, the Kubernetes manifests and production take their secrets from
// the operator.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The secret `<stateDir>/<name>.secret`, made (32 random bytes, base64url) when there is none yet. */
export function localSecret(stateDir, name) {
  const file = path.join(stateDir, `${name}.secret`);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start
  }
  fs.mkdirSync(stateDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * What logistics verifies carriers' tracking webhooks with (docs/logistics-webhooks.md): each one
 * as the environment sets it (an empty value keeps that provider refused), else the checkout's own.
 */
export function carrierWebhookSecrets(stateDir, env = process.env) {
  return {
    AFTERSHIP_WEBHOOK_SECRET: env.AFTERSHIP_WEBHOOK_SECRET ?? localSecret(stateDir, 'aftership-webhook'),
    KUAIDI100_SALT: env.KUAIDI100_SALT ?? localSecret(stateDir, 'kuaidi100-salt'),
    EASYPOST_WEBHOOK_SECRET: env.EASYPOST_WEBHOOK_SECRET ?? localSecret(stateDir, 'easypost-webhook'),
  };
}
