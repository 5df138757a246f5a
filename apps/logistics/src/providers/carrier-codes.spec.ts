import { describe, expect, it } from 'vitest';
import { isKnownCarrier, KNOWN_CARRIERS, normaliseCarrierCode, providerCarrierCode, TRACKING_CODE_VOCABULARIES } from './carrier-codes.js';

describe('carrier codes', () => {
  it('reads each provider’s spelling of the common carriers as one code of ours', () => {
    expect(normaliseCarrierCode('sf-express', 'aftership')).toBe('sf-express');
    expect(normaliseCarrierCode('shunfeng', 'kuaidi100')).toBe('sf-express');
    expect(normaliseCarrierCode('zto-express', 'aftership')).toBe('zto');
    expect(normaliseCarrierCode('zhongtong', 'kuaidi100')).toBe('zto');
    expect(normaliseCarrierCode('yuantong', 'kuaidi100')).toBe('yto');
    expect(normaliseCarrierCode('shentong', 'kuaidi100')).toBe('sto');
    expect(normaliseCarrierCode('china-ems', 'aftership')).toBe('ems');
    expect(normaliseCarrierCode('youzhengguonei', 'kuaidi100')).toBe('china-post');
    expect(normaliseCarrierCode('FedEx', 'easypost')).toBe('fedex');
    expect(normaliseCarrierCode('DHLExpress', 'easypost')).toBe('dhl');
    expect(normaliseCarrierCode('dhlen', 'kuaidi100')).toBe('dhl');
    expect(normaliseCarrierCode('USPS', 'easypost')).toBe('usps');
  });

  it('reads our own codes and any provider’s spelling when the source is ours (staff, platform, warehouse)', () => {
    for (const carrier of KNOWN_CARRIERS) {
      expect(normaliseCarrierCode(carrier.code)).toBe(carrier.code);
      expect(normaliseCarrierCode(` ${carrier.code.toUpperCase()} `)).toBe(carrier.code);
      for (const vocabulary of TRACKING_CODE_VOCABULARIES) {
        for (const spelling of carrier[vocabulary]) {
          expect(normaliseCarrierCode(spelling, vocabulary)).toBe(carrier.code);
          expect(normaliseCarrierCode(spelling)).toBe(carrier.code);
        }
      }
    }
  });

  it('gives no spelling two meanings across vocabularies', () => {
    const meaning = new Map<string, string>();
    for (const carrier of KNOWN_CARRIERS) {
      for (const spelling of [carrier.code, ...TRACKING_CODE_VOCABULARIES.flatMap((vocabulary) => carrier[vocabulary])]) {
        const folded = spelling.toLowerCase();
        expect(meaning.get(folded) ?? carrier.code, spelling).toBe(carrier.code);
        meaning.set(folded, carrier.code);
      }
    }
  });

  it('passes an unknown code through, trimmed and lower-cased', () => {
    expect(normaliseCarrierCode(' CanadaPost ', 'easypost')).toBe('canadapost');
    expect(normaliseCarrierCode('jtexpress', 'kuaidi100')).toBe('jtexpress');
    expect(isKnownCarrier('jtexpress')).toBe(false);
    expect(isKnownCarrier('sf-express')).toBe(true);
  });

  it('spells our code back for each provider, null when that provider does not carry it', () => {
    expect(providerCarrierCode('sf-express', 'aftership')).toBe('sf-express');
    expect(providerCarrierCode('sf-express', 'kuaidi100')).toBe('shunfeng');
    expect(providerCarrierCode('sf-express', 'easypost')).toBeNull();
    expect(providerCarrierCode('fedex', 'easypost')).toBe('FedEx');
    expect(providerCarrierCode('china-post', 'kuaidi100')).toBe('youzhengguonei');
    expect(providerCarrierCode('canadapost', 'easypost')).toBe('canadapost');
  });
});
