/**
 * ISO 3166-1 alpha-3 codes of the countries and regions we ship to, by alpha-2 (what an order's
 * receiver address holds). AfterShip takes a destination only as alpha-3; it is a hint that helps
 * it track, not a requirement, so a country missing here is simply not sent. Add one when a mall
 * starts shipping there.
 */
const ALPHA3_BY_ALPHA2: Readonly<Record<string, string>> = {
  AE: 'ARE',
  AR: 'ARG',
  AT: 'AUT',
  AU: 'AUS',
  BE: 'BEL',
  BR: 'BRA',
  CA: 'CAN',
  CH: 'CHE',
  CL: 'CHL',
  CN: 'CHN',
  CZ: 'CZE',
  DE: 'DEU',
  DK: 'DNK',
  EG: 'EGY',
  ES: 'ESP',
  FI: 'FIN',
  FR: 'FRA',
  GB: 'GBR',
  GR: 'GRC',
  HK: 'HKG',
  HU: 'HUN',
  ID: 'IDN',
  IE: 'IRL',
  IL: 'ISR',
  IN: 'IND',
  IT: 'ITA',
  JP: 'JPN',
  KH: 'KHM',
  KR: 'KOR',
  KZ: 'KAZ',
  LU: 'LUX',
  MN: 'MNG',
  MO: 'MAC',
  MX: 'MEX',
  MY: 'MYS',
  NL: 'NLD',
  NO: 'NOR',
  NZ: 'NZL',
  PH: 'PHL',
  PK: 'PAK',
  PL: 'POL',
  PT: 'PRT',
  RU: 'RUS',
  SA: 'SAU',
  SE: 'SWE',
  SG: 'SGP',
  TH: 'THA',
  TR: 'TUR',
  TW: 'TWN',
  UA: 'UKR',
  US: 'USA',
  VN: 'VNM',
  ZA: 'ZAF',
};

/** The alpha-3 code of an alpha-2 one, or undefined when we do not know it. */
export function alpha3Of(alpha2: string | undefined): string | undefined {
  return alpha2 === undefined ? undefined : ALPHA3_BY_ALPHA2[alpha2.trim().toUpperCase()];
}
