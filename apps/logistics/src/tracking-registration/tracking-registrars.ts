import type { LogisticsConfig } from '../config/logistics-config.js';
import { AfterShipRegistrar } from './aftership-registrar.js';
import { EasyPostRegistrar } from './easypost-registrar.js';
import { Kuaidi100Registrar } from './kuaidi100-registrar.js';
import type { TrackingRegistrar } from './tracking-registrar.js';

/** The Nest token of the chosen provider's adapter (null when TRACKING_PROVIDER is none). */
export const TRACKING_REGISTRAR = Symbol('TrackingRegistrar');

/** The adapter of the provider the settings choose; the config class has checked that its key is there. */
export function trackingRegistrarFor(config: LogisticsConfig): TrackingRegistrar | null {
  switch (config.TRACKING_PROVIDER) {
    case 'aftership':
      return new AfterShipRegistrar({ apiKey: config.AFTERSHIP_API_KEY, apiUrl: config.AFTERSHIP_API_URL });
    case 'kuaidi100':
      return new Kuaidi100Registrar({
        key: config.KUAIDI100_KEY,
        apiUrl: config.KUAIDI100_API_URL,
        callbackUrl: config.KUAIDI100_CALLBACK_URL,
        salt: config.KUAIDI100_SALT,
      });
    case 'easypost':
      return new EasyPostRegistrar({ apiKey: config.EASYPOST_API_KEY, apiUrl: config.EASYPOST_API_URL });
    case 'none':
      return null;
  }
}
