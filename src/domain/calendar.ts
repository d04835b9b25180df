/**
 * Danish working days for the council's deadlines. API.md: the recommendation letter is due
 * "10 Danish working days after submission", where weekends, public holidays, 5 June, 24 and 31
 * December are not working days (DESIGN.md, "Domain rules worth getting exactly right").
 *
 * Plain dates are 'YYYY-MM-DD' strings; all arithmetic goes through Date.UTC so the host's time
 * zone can never shift a date.
 */

export const ASSESSMENT_WORKING_DAYS = 10

const DAY_MS = 86_400_000

// The Gregorian computus is only meaningful from 1583 (the first full Gregorian year), and a
// 'YYYY-MM-DD' string cannot hold years past 9999.
const MIN_YEAR = 1583
const MAX_YEAR = 9999

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

function assertYear (year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be an integer from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`)
  }
}

function pad (value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function formatUtc (ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
}

// Parses strictly: '2026-02-30' is rejected rather than silently rolled over to 2 March.
function parseDate (date: string): number {
  const match = DATE_PATTERN.exec(date)
  if (match === null) {
    throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`)
  }
  const year = Number(match[1])
  assertYear(year)
  const ms = Date.UTC(year, Number(match[2]) - 1, Number(match[3]))
  if (formatUtc(ms) !== date) {
    throw new RangeError(`no such date: "${date}"`)
  }
  return ms
}

function addDays (ms: number, days: number): number {
  return ms + days * DAY_MS
}

/**
 * Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher); DESIGN.md asks for
 * the Gregorian computus.
 */
export function easterSunday (year: number): string {
  assertYear(year)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return formatUtc(Date.UTC(year, month - 1, day))
}

// Store bededag stopped being a holiday from 2024 (lov om afskaffelse af store bededag som
// helligdag, passed 28 February 2023); 2023 was its last year. DESIGN.md: "until 2023 only".
const LAST_GREAT_PRAYER_DAY_YEAR = 2023

// Offsets from Easter Sunday of the movable days that are not working days.
const EASTER_OFFSETS: ReadonlyArray<readonly [number, string]> = [
  [-3, 'Skærtorsdag'],
  [-2, 'Langfredag'],
  [0, 'Påskedag'],
  [1, '2. påskedag'],
  [39, 'Kristi himmelfartsdag'],
  [49, 'Pinsedag'],
  [50, '2. pinsedag']
]

// Calendar computed once per year and reused: addWorkingDays looks a year up for every day it
// steps over. The cache never changes an answer, the calendar for a year is fixed.
const holidayCache = new Map<number, ReadonlyMap<string, string>>()

function holidaysOf (year: number): ReadonlyMap<string, string> {
  const cached = holidayCache.get(year)
  if (cached !== undefined) return cached

  const easter = parseDate(easterSunday(year))
  const days: Array<readonly [string, string]> = [
    [`${pad(year, 4)}-01-01`, 'Nytårsdag'],
    ...EASTER_OFFSETS.map(([offset, name]) => [formatUtc(addDays(easter, offset)), name] as const),
    // 5 June, 24 and 31 December are not helligdage by law, but API.md and DESIGN.md count
    // them as non-working days all the same.
    [`${pad(year, 4)}-06-05`, 'Grundlovsdag'],
    [`${pad(year, 4)}-12-24`, 'Juleaftensdag'],
    [`${pad(year, 4)}-12-25`, 'Juledag'],
    [`${pad(year, 4)}-12-26`, '2. juledag'],
    [`${pad(year, 4)}-12-31`, 'Nytårsaftensdag']
  ]
  if (year <= LAST_GREAT_PRAYER_DAY_YEAR) {
    // The fourth Friday after Easter.
    days.push([formatUtc(addDays(easter, 26)), 'Store bededag'])
  }
  days.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))

  const holidays = new Map<string, string>()
  for (const [date, name] of days) {
    // Whitsun can fall on 5 June (Pinsedag in 2022, 2. pinsedag in 2028): keep both names
    // rather than let one overwrite the other.
    const existing = holidays.get(date)
    holidays.set(date, existing === undefined ? name : `${existing} og ${name}`)
  }
  holidayCache.set(year, holidays)
  return holidays
}

/** The non-working days of `year` besides weekends, date → Danish name, in date order. */
export function danishHolidays (year: number): Map<string, string> {
  // A copy, so a caller that edits the result cannot corrupt the shared cache.
  return new Map(holidaysOf(year))
}

function isWorkingDayMs (ms: number): boolean {
  const day = new Date(ms)
  const weekday = day.getUTCDay()
  if (weekday === 0 || weekday === 6) return false
  return !holidaysOf(day.getUTCFullYear()).has(formatUtc(ms))
}

export function isWorkingDay (date: string): boolean {
  return isWorkingDayMs(parseDate(date))
}

/**
 * The date `days` working days after `date`. The start date never counts, working day or not:
 * a project submitted on a Sunday has its first working day on the Monday.
 */
export function addWorkingDays (date: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`)
  }
  let ms = parseDate(date)
  let remaining = days
  while (remaining > 0) {
    ms = addDays(ms, 1)
    if (isWorkingDayMs(ms)) remaining--
  }
  return formatUtc(ms)
}

// Built once: constructing an Intl.DateTimeFormat is far more expensive than using one.
const copenhagenFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit'
})

/**
 * The calendar date in Denmark at `instant`: a submission at 00:30 Danish time belongs to that
 * Danish day even though it is still the previous day in UTC.
 */
export function copenhagenDate (instant: Date): string {
  // Since 1970 Copenhagen's offset from UTC has been a whole number of hours that changes on the
  // hour, so the Danish date is the same throughout each UTC hour: one formatting per hour serves
  // every call in it (this is called several times per request).
  const ms = instant.getTime()
  const hour = Math.floor(ms / 3_600_000)
  if (hour === lastHour) return lastDate
  // formatToParts rather than format(): the en-CA 'YYYY-MM-DD' layout is CLDR locale data that
  // can change with the ICU version, the parts cannot.
  let year = ''
  let month = ''
  let day = ''
  for (const part of copenhagenFormatter.formatToParts(instant)) {
    if (part.type === 'year') year = part.value
    else if (part.type === 'month') month = part.value
    else if (part.type === 'day') day = part.value
  }
  const date = `${year}-${month}-${day}`
  if (ms >= 0) {
    lastHour = hour
    lastDate = date
  }
  return date
}

let lastHour = Number.NaN
let lastDate = ''
