/** What a provider's capture can differ in from the provider part we asked for. */
export type ProviderMismatch = 'AMOUNT' | 'CURRENCY';

/**
 * What differs between the provider part we asked for and what the provider says it captured;
 * what the provider leaves out (null) is taken as agreeing. Pure: a capture that differs never
 * makes its payment SUCCEEDED (payment-outcomes.ts).
 */
export function providerMismatches(
  asked: { amountMinor: number; currency: string },
  reported: { amountMinor: number | null; currency: string | null },
): ProviderMismatch[] {
  const mismatches: ProviderMismatch[] = [];
  if (reported.currency !== null && reported.currency !== asked.currency) mismatches.push('CURRENCY');
  if (reported.amountMinor !== null && reported.amountMinor !== asked.amountMinor) mismatches.push('AMOUNT');
  return mismatches;
}
