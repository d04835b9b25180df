import type { DocumentKind } from '../../db/schema/documents.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { RISK_DIMENSIONS, RISK_PROFILE_MEANINGS, type RiskDimension, type RiskProfile } from '../../domain/risk.ts'

/*
 * The Danish words and number formats of the service's documents (the letter and the annual report
 * as PDF). They are the pages' words (src/web/public/js/labels.js and format.js, which the browser
 * loads as they are and the service cannot import); test/documents/annual-report-pdf.test.ts checks that the two
 * agree.
 */

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december']

/** "2026-12-07" → "7. december 2026". */
export function danishDate (date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return `${day}. ${MONTHS[month - 1]} ${year}`
}

/** An instant's Copenhagen date, the Danish way: "7. december 2026". */
export function danishDateOf (instant: string | Date): string {
  return danishDate(copenhagenDate(new Date(instant)))
}

const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')

/** 1234567.5 → "1.234.567,5" (a minus sign, not a hyphen, before a negative number). */
export function danishNumber (value: number): string {
  const [whole = '0', fraction] = String(Math.abs(value)).split('.')
  return `${value < 0 ? '−' : ''}${thousands(whole)}${fraction ? ',' + fraction : ''}`
}

/** Whole kroner: 12500000 → "12.500.000 kr.". */
export function danishDkk (amount: number): string {
  return `${amount < 0 ? '−' : ''}${thousands(String(Math.abs(Math.trunc(amount))))} kr.`
}

/** "2026-H2" → "2. halvår 2026"; anything else as it is. */
export function danishPeriod (period: string): string {
  const match = /^(\d{4})-H([12])$/.exec(period)
  return match ? `${match[2]}. halvår ${match[1]}` : period
}

/** A document's kind, as a title or the start of a sentence names it. */
export const DOCUMENT_KIND_DA: Readonly<Record<DocumentKind, string>> = {
  pid: 'Projektgrundlag',
  business_case: 'Business case',
  risk_log: 'Risikolog',
  other: 'Dokument'
}

/** A risk profile with its meaning, as the pages write it: "B – høj risiko". */
export function profileText (profile: RiskProfile): string {
  return `${profile} – ${RISK_PROFILE_MEANINGS[profile].da} risiko`
}

/** The risk dimensions, which are also the categories of the council's recommendations. */
export const DIMENSION_DA: Readonly<Record<RiskDimension, string>> = {
  business: 'Forretning',
  governance: 'Styring',
  planning: 'Planlægning',
  technology: 'Teknologi',
  supplier: 'Leverandør',
  economy: 'Økonomi',
  security: 'Sikkerhed'
}

/** A recommendation's category in Danish where it is one of the dimensions; else as it was written. */
export function categoryText (category: string): string {
  return (RISK_DIMENSIONS as readonly string[]).includes(category) ? DIMENSION_DA[category as RiskDimension] : category
}

/**
 * The parts of a half-year's lights in the annual report (`HalfYearLights`), in the report's
 * order: the council's judgements, the reports it has not judged, the projects without a report.
 */
export const HALF_YEAR_PARTS = [
  { key: 'green', da: 'grøn' },
  { key: 'yellow', da: 'gul' },
  { key: 'red', da: 'rød' },
  { key: 'unjudged', da: 'ikke vurderet' },
  { key: 'missing', da: 'mangler' }
] as const
