/**
 * Which of the parcels carrying a tracking number a carrier's report is about. A tracking number
 * names one parcel per carrier; should two carriers' numbers collide, the reporting carrier
 * decides. When every candidate is with one carrier, the report is theirs whatever carrier code
 * it names (a provider may name none, or spell it in a way we do not map).
 */
export function parcelsReportedOn<P extends { carrierCode: string | null }>(candidates: readonly P[], carrierCode: string | null): P[] {
  const carriers = new Set(candidates.map((candidate) => candidate.carrierCode));
  if (carriers.size <= 1) return [...candidates];
  return candidates.filter((candidate) => candidate.carrierCode === carrierCode);
}
