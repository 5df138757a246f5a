import { describe, expect, it } from 'vitest';
import { parcelsReportedOn } from './reported-parcels.js';

describe('parcelsReportedOn: which parcels with a tracking number a carrier’s report is about', () => {
  const sf = { id: 'a', carrierCode: 'sf-express' };
  const sfToo = { id: 'b', carrierCode: 'sf-express' };
  const ups = { id: 'c', carrierCode: 'ups' };

  it('is nobody’s when no parcel has the number', () => {
    expect(parcelsReportedOn([], 'sf-express')).toEqual([]);
  });

  it('is the one carrier’s parcels whatever carrier the report names, or none', () => {
    expect(parcelsReportedOn([sf], 'ups')).toEqual([sf]);
    expect(parcelsReportedOn([sf], null)).toEqual([sf]);
    // One box sent back for two after-sales requests: both follow it.
    expect(parcelsReportedOn([sf, sfToo], 'sf-express')).toEqual([sf, sfToo]);
  });

  it('is the reporting carrier’s when two carriers’ numbers collide, and nobody’s when it names neither', () => {
    expect(parcelsReportedOn([sf, ups], 'ups')).toEqual([ups]);
    expect(parcelsReportedOn([sf, sfToo, ups], 'sf-express')).toEqual([sf, sfToo]);
    expect(parcelsReportedOn([sf, ups], 'dhl')).toEqual([]);
    expect(parcelsReportedOn([sf, ups], null)).toEqual([]);
  });
});
