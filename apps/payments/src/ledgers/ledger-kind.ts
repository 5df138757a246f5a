/** Why a gift-card or points balance moved. */
export type LedgerKind = 'ISSUE' | 'GRANT' | 'DEBIT' | 'CREDIT';
