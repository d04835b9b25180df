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
