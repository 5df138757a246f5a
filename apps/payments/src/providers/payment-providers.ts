import { PAYMENT_PROVIDERS, type PaymentProviderName } from '@mallard/contracts';
import { Injectable } from '@nestjs/common';
import { AlipayProvider } from './alipay/alipay.provider.js';
import type { PaymentProvider } from './payment-provider.js';
import { SandboxProvider } from './sandbox/sandbox.provider.js';
import { StripeProvider } from './stripe/stripe.provider.js';

/** The providers behind one interface, by name. */
@Injectable()
export class PaymentProviders {
  private readonly byName: Record<PaymentProviderName, PaymentProvider>;

  constructor(sandbox: SandboxProvider, stripe: StripeProvider, alipay: AlipayProvider) {
    this.byName = { sandbox, stripe, alipay };
  }

  find(name: string): PaymentProvider | undefined {
    return (PAYMENT_PROVIDERS as readonly string[]).includes(name) ? this.byName[name as PaymentProviderName] : undefined;
  }

  get(name: PaymentProviderName): PaymentProvider {
    return this.byName[name];
  }
}
