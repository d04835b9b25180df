/**
 * The five Danish regions, keyed by their official DAGI codes (Danmarks Administrative
 * Geografiske Inddeling). ISO codes are ISO 3166-2:DK.
 */
export const REGIONS = [
  { code: '1081', name: 'Region Nordjylland', iso: 'DK-81' },
  { code: '1082', name: 'Region Midtjylland', iso: 'DK-82' },
  { code: '1083', name: 'Region Syddanmark', iso: 'DK-83' },
  { code: '1084', name: 'Region Hovedstaden', iso: 'DK-84' },
  { code: '1085', name: 'Region Sjælland', iso: 'DK-85' }
] as const

export type RegionCode = (typeof REGIONS)[number]['code']

export const REGION_CODES: readonly RegionCode[] = REGIONS.map((r) => r.code)

export function isRegionCode (value: string): value is RegionCode {
  return (REGION_CODES as readonly string[]).includes(value)
}
