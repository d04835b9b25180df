// Danish formatting, done by hand so that it reads the same in every browser:
// 10.000.000 kr., 7. december 2026, 7. december 2026 kl. 14.05.

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december']

/**
 * Whole kroner with '.' as thousands separator: 10000000 → "10.000.000 kr."
 * @param {number} amount
 */
export function formatDkk (amount) {
  const sign = amount < 0 ? '−' : ''
  const digits = String(Math.abs(Math.trunc(amount)))
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} kr.`
}

/**
 * A file size as Danish file managers show it (1 kB = 1024 bytes): 1258291 → "1,2 MB", 2048 → "2 kB".
 * @param {number} bytes
 */
export function formatBytes (bytes) {
  if (bytes < 1024) return `${bytes} byte`
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'kB'] : [bytes / 1024 / 1024, 'MB']
  return `${formatNumber(value < 10 ? Math.round(value * 10) / 10 : Math.round(value))} ${unit}`
}

/**
 * A number the Danish way: 1234567.5 → "1.234.567,5"
 * @param {number} value
 */
export function formatNumber (value) {
  if (!Number.isFinite(value)) return String(value)
  const sign = value < 0 ? '−' : ''
  const [whole = '0', fraction] = String(Math.abs(value)).split('.')
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}${fraction ? ',' + fraction : ''}`
}

/**
 * "2026-12-07" → "7. december 2026"
 * @param {string | null | undefined} date
 */
export function formatDate (date) {
  if (!date) return '–'
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  if (!match) return date
  return `${Number(match[3])}. ${MONTHS[Number(match[2]) - 1]} ${match[1]}`
}

/** Copenhagen wall-clock parts of an instant. */
const COPENHAGEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23'
})

/**
 * @param {Date} instant
 * @returns {{ date: string, time: string }} date as YYYY-MM-DD and time as HH.MM, Danish time
 */
function copenhagenParts (instant) {
  /** @type {Record<string, string>} */
  const parts = {}
  for (const part of COPENHAGEN.formatToParts(instant)) parts[part.type] = part.value
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}.${parts.minute}` }
}

/**
 * An RFC 3339 instant in Danish time: "7. december 2026 kl. 14.05"
 * @param {string | null | undefined} instant
 */
export function formatDateTime (instant) {
  if (!instant) return '–'
  const parsed = new Date(instant)
  if (Number.isNaN(parsed.getTime())) return instant
  const { date, time } = copenhagenParts(parsed)
  return `${formatDate(date)} kl. ${time}`
}

/**
 * The time of day of an instant in Danish time: "14.05"
 * @param {Date} instant
 */
export function formatTime (instant) {
  return copenhagenParts(instant).time
}

/** Today's date in Denmark as YYYY-MM-DD (deadlines are Danish working days). */
export function todayInDenmark () {
  return copenhagenParts(new Date()).date
}

/**
 * A review is overdue when its due date has passed and no letter has been issued.
 * @param {{ status: string, assessmentDueOn?: string | null }} project
 */
export function isOverdue (project) {
  const open = project.status === 'awaiting_assessment' || project.status === 'under_assessment'
  return open && typeof project.assessmentDueOn === 'string' && project.assessmentDueOn < todayInDenmark()
}

/**
 * A status report's half-year: "2026-H2" → "2. halvår 2026". Anything else is shown as it is.
 * @param {string | null | undefined} period
 */
export function formatPeriod (period) {
  if (!period) return '–'
  const match = /^(\d{4})-H([12])$/.exec(period)
  return match ? `${match[2]}. halvår ${match[1]}` : period
}

/**
 * The half-year (YYYY-H1 / YYYY-H2) of a date (YYYY-MM-DD) or of an instant, in Danish time.
 * @param {string} dateOrInstant
 */
export function halfYearOf (dateOrInstant) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(dateOrInstant) ? dateOrInstant : copenhagenParts(new Date(dateOrInstant)).date
  return `${date.slice(0, 4)}-H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`
}

/**
 * The half-years from `first` to `last` (both YYYY-Hn), newest first; empty when first is after last.
 * @param {string} first
 * @param {string} last
 * @returns {string[]}
 */
export function halfYearsBetween (first, last) {
  /** @param {string} period */
  const index = (period) => Number(period.slice(0, 4)) * 2 + Number(period.slice(6)) - 1
  const periods = []
  for (let i = index(last); i >= index(first); i--) periods.push(`${Math.floor(i / 2)}-H${(i % 2) + 1}`)
  return periods
}

/**
 * Whole kroner as people type them: "6000000", "6.000.000", "6 000 000" or "6.000.000 kr." →
 * 6000000; null for anything else (decimals, letters, empty).
 * @param {string} text
 * @returns {number | null}
 */
export function parseDkk (text) {
  const compact = text.replace(/\s+/g, '').replace(/kr\.?$/i, '')
  if (!/^(\d+|\d{1,3}(\.\d{3})+)$/.test(compact)) return null
  const value = Number(compact.replace(/\./g, ''))
  return Number.isSafeInteger(value) ? value : null
}

/**
 * The half-years up to and including `last` (YYYY-Hn), newest first: `count` of them.
 * @param {string} last
 * @param {number} count
 * @returns {string[]}
 */
export function recentHalfYears (last, count) {
  const index = Number(last.slice(0, 4)) * 2 + Number(last.slice(6)) - 1
  return Array.from({ length: count }, (_, i) => `${Math.floor((index - i) / 2)}-H${((index - i) % 2) + 1}`)
}

/**
 * One year after a date (YYYY-MM-DD), as the API counts the benefit reports' window: 29 February
 * gives 28 February.
 * @param {string} date
 */
export function oneYearAfter (date) {
  const next = `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`
  return next.endsWith('-02-29') ? next.replace(/29$/, '28') : next
}
