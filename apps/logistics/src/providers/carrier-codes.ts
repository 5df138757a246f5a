/**
 * One code of ours per carrier, whichever provider named it: AfterShip's slug, Kuaidi100's company
 * code, EasyPost's carrier name. Parcels store our code, so a webhook from any provider finds the
 * parcel staff recorded. A code we do not know passes through trimmed and lower-cased, so two
 * spellings of an unknown carrier that differ only in case still meet.
 */
export const TRACKING_CODE_VOCABULARIES = ['aftership', 'kuaidi100', 'easypost'] as const;
export type TrackingCodeVocabulary = (typeof TRACKING_CODE_VOCABULARIES)[number];

export interface KnownCarrier {
  /** Ours. */
  code: string;
  name: string;
  /** Each provider's spellings; the first is the one we send when registering a tracking. Empty: the provider does not carry it. */
  aftership: readonly string[];
  kuaidi100: readonly string[];
  easypost: readonly string[];
}

export const KNOWN_CARRIERS: readonly KnownCarrier[] = [
  { code: 'sf-express', name: 'SF Express', aftership: ['sf-express'], kuaidi100: ['shunfeng'], easypost: [] },
  { code: 'zto', name: 'ZTO Express', aftership: ['zto-express'], kuaidi100: ['zhongtong'], easypost: [] },
  { code: 'yto', name: 'YTO Express', aftership: ['yto'], kuaidi100: ['yuantong'], easypost: [] },
  { code: 'sto', name: 'STO Express', aftership: ['sto'], kuaidi100: ['shentong'], easypost: [] },
  { code: 'yunda', name: 'Yunda Express', aftership: ['yunda'], kuaidi100: ['yunda'], easypost: [] },
  { code: 'jd', name: 'JD Logistics', aftership: ['jd', 'jd-express'], kuaidi100: ['jd'], easypost: [] },
  { code: 'ems', name: 'China EMS', aftership: ['china-ems'], kuaidi100: ['ems'], easypost: [] },
  { code: 'china-post', name: 'China Post', aftership: ['china-post'], kuaidi100: ['youzhengguonei', 'youzhengguoji'], easypost: [] },
  { code: 'ups', name: 'UPS', aftership: ['ups'], kuaidi100: ['ups'], easypost: ['UPS'] },
  { code: 'fedex', name: 'FedEx', aftership: ['fedex'], kuaidi100: ['fedex', 'fedexcn', 'fedexus'], easypost: ['FedEx'] },
  { code: 'dhl', name: 'DHL Express', aftership: ['dhl'], kuaidi100: ['dhl', 'dhlen'], easypost: ['DHLExpress'] },
  { code: 'usps', name: 'USPS', aftership: ['usps'], kuaidi100: ['usps'], easypost: ['USPS'] },
];

const fold = (code: string): string => code.trim().toLowerCase();

const byVocabulary = new Map<TrackingCodeVocabulary, ReadonlyMap<string, string>>(
  TRACKING_CODE_VOCABULARIES.map((vocabulary) => [
    vocabulary,
    new Map(KNOWN_CARRIERS.flatMap((carrier) => carrier[vocabulary].map((spelling) => [fold(spelling), carrier.code]))),
  ]),
);

/** Every spelling of every vocabulary, ours included, for codes whose source is ours or unknown (staff, platform, warehouse). */
const anySpelling: ReadonlyMap<string, string> = new Map(
  KNOWN_CARRIERS.flatMap((carrier) =>
    [carrier.code, ...TRACKING_CODE_VOCABULARIES.flatMap((vocabulary) => carrier[vocabulary])].map((spelling) => [
      fold(spelling),
      carrier.code,
    ]),
  ),
);

/** Our code for `code` as `from` spells it (any vocabulary when not given); an unknown code trimmed and lower-cased. */
export function normaliseCarrierCode(code: string, from?: TrackingCodeVocabulary): string {
  const folded = fold(code);
  return (from ? byVocabulary.get(from)?.get(folded) : undefined) ?? anySpelling.get(folded) ?? folded;
}

/**
 * How `provider` spells our `code`, to register a tracking with it: null when the provider does not
 * carry that known carrier; an unknown code is passed as it is.
 */
export function providerCarrierCode(code: string, provider: TrackingCodeVocabulary): string | null {
  const carrier = KNOWN_CARRIERS.find((known) => known.code === fold(code));
  if (!carrier) return fold(code);
  return carrier[provider][0] ?? null;
}

export function isKnownCarrier(code: string): boolean {
  return KNOWN_CARRIERS.some((known) => known.code === code);
}
