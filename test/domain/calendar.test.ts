import t from 'tap'
import {
  ASSESSMENT_WORKING_DAYS,
  addWorkingDays,
  copenhagenDate,
  danishHolidays,
  easterSunday,
  isWorkingDay
} from '../../src/domain/calendar.ts'

t.test('easterSunday follows the Gregorian computus', async (t) => {
  const cases: Array<[number, string]> = [
    [2023, '2023-04-09'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    // The ends of the range and the extremes of the computus.
    [1583, '1583-04-10'],
    [2000, '2000-04-23'],
    [2285, '2285-03-22'],
    [2038, '2038-04-25'],
    [9999, '9999-03-28']
  ]
  for (const [year, expected] of cases) {
    t.equal(easterSunday(year), expected, String(year))
  }
})

t.test('easterSunday rejects years the computus or the date format cannot serve', async (t) => {
  for (const year of [1582, 10000, 2026.5, Number.NaN, -1]) {
    t.throws(() => easterSunday(year), RangeError, String(year))
  }
})

t.test('danishHolidays 2023 includes Store bededag', async (t) => {
  t.same([...danishHolidays(2023)], [
    ['2023-01-01', 'Nytårsdag'],
    ['2023-04-06', 'Skærtorsdag'],
    ['2023-04-07', 'Langfredag'],
    ['2023-04-09', 'Påskedag'],
    ['2023-04-10', '2. påskedag'],
    ['2023-05-05', 'Store bededag'],
    ['2023-05-18', 'Kristi himmelfartsdag'],
    ['2023-05-28', 'Pinsedag'],
    ['2023-05-29', '2. pinsedag'],
    ['2023-06-05', 'Grundlovsdag'],
    ['2023-12-24', 'Juleaftensdag'],
    ['2023-12-25', 'Juledag'],
    ['2023-12-26', '2. juledag'],
    ['2023-12-31', 'Nytårsaftensdag']
  ])
})

t.test('danishHolidays 2024 has no Store bededag', async (t) => {
  t.same([...danishHolidays(2024)], [
    ['2024-01-01', 'Nytårsdag'],
    ['2024-03-28', 'Skærtorsdag'],
    ['2024-03-29', 'Langfredag'],
    ['2024-03-31', 'Påskedag'],
    ['2024-04-01', '2. påskedag'],
    ['2024-05-09', 'Kristi himmelfartsdag'],
    ['2024-05-19', 'Pinsedag'],
    ['2024-05-20', '2. pinsedag'],
    ['2024-06-05', 'Grundlovsdag'],
    ['2024-12-24', 'Juleaftensdag'],
    ['2024-12-25', 'Juledag'],
    ['2024-12-26', '2. juledag'],
    ['2024-12-31', 'Nytårsaftensdag']
  ])
})

t.test('danishHolidays keeps both names when Whitsun falls on 5 June', async (t) => {
  // Easter 2028 is 16 April, so 2. pinsedag is 5 June; in 2022 Pinsedag was.
  const y2028 = danishHolidays(2028)
  t.equal(y2028.get('2028-06-05'), '2. pinsedag og Grundlovsdag')
  t.equal(y2028.size, 12)
  t.equal(danishHolidays(2022).get('2022-06-05'), 'Pinsedag og Grundlovsdag')
})

t.test('danishHolidays returns a copy that callers may change', async (t) => {
  const first = danishHolidays(2026)
  first.delete('2026-12-24')
  first.set('2026-11-23', 'made up')
  const second = danishHolidays(2026)
  t.equal(second.get('2026-12-24'), 'Juleaftensdag')
  t.notOk(second.has('2026-11-23'))
  t.ok(isWorkingDay('2026-11-23'))
  t.notOk(isWorkingDay('2026-12-24'))
})

t.test('isWorkingDay', async (t) => {
  const cases: Array<[string, boolean, string]> = [
    ['2026-11-23', true, 'an ordinary Monday'],
    ['2026-11-27', true, 'an ordinary Friday'],
    ['2026-11-28', false, 'Saturday'],
    ['2026-11-29', false, 'Sunday'],
    ['2023-05-05', false, 'Store bededag 2023'],
    ['2024-04-26', true, 'the Friday that would have been Store bededag 2024'],
    ['2024-05-01', true, '1 May is not a non-working day'],
    ['2026-06-05', false, 'Grundlovsdag on a Friday'],
    ['2026-12-23', true, 'the day before Christmas Eve'],
    ['2026-12-24', false, 'Juleaftensdag'],
    ['2026-12-31', false, 'Nytårsaftensdag'],
    ['2027-01-01', false, 'Nytårsdag'],
    ['2026-04-02', false, 'Skærtorsdag'],
    ['2026-04-06', false, '2. påskedag'],
    ['2026-05-14', false, 'Kristi himmelfartsdag'],
    ['2026-05-25', false, '2. pinsedag'],
    ['2024-02-29', true, 'a leap day']
  ]
  for (const [date, expected, why] of cases) {
    t.equal(isWorkingDay(date), expected, `${date}: ${why}`)
  }
})

t.test('isWorkingDay rejects anything but a real YYYY-MM-DD date', async (t) => {
  for (const date of ['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '2026-2-3',
    '26-02-03', '2026-02-03T00:00:00Z', ' 2026-02-03', '', '1500-01-01']) {
    t.throws(() => isWorkingDay(date), RangeError, JSON.stringify(date))
  }
})

t.test('addWorkingDays', async (t) => {
  // [start, days, expected, why]; every expected value counted by hand on a calendar.
  const cases: Array<[string, number, string, string]> = [
    ['2026-11-23', 10, '2026-12-07', 'API.md example: from a Monday'],
    ['2026-11-22', 10, '2026-12-04', 'from a Sunday: the start never counts'],
    ['2026-11-27', 1, '2026-11-30', 'Friday + 1 is Monday'],
    ['2026-11-28', 0, '2026-11-28', 'zero days is the start date, even on a weekend'],
    ['2026-04-03', 1, '2026-04-07', 'from Langfredag over Easter'],
    // Easter
    ['2023-04-03', 10, '2023-04-20', 'Easter 2023'],
    ['2024-03-25', 10, '2024-04-11', 'Easter 2024'],
    ['2026-03-30', 10, '2026-04-16', 'Easter 2026'],
    ['2027-03-24', 10, '2027-04-12', 'Easter 2027, starting the day before Skærtorsdag'],
    ['2030-04-17', 10, '2030-05-06', 'Easter 2030'],
    // Store bededag: 2023 only
    ['2023-05-01', 10, '2023-05-16', 'Store bededag 2023 is skipped'],
    ['2024-04-22', 10, '2024-05-06', 'Store bededag is gone in 2024'],
    // Ascension, Whitsun and 5 June
    ['2023-05-15', 10, '2023-05-31', 'Ascension and Whitsun 2023'],
    ['2023-05-26', 10, '2023-06-13', '2. pinsedag and Grundlovsdag 2023'],
    ['2025-05-26', 10, '2025-06-12', 'Ascension, Grundlovsdag and Whitsun 2025'],
    ['2028-05-22', 10, '2028-06-07', 'Ascension 2028; 2. pinsedag is Grundlovsdag'],
    ['2030-05-27', 10, '2030-06-13', 'Ascension, Grundlovsdag and Whitsun 2030'],
    // Christmas and New Year
    ['2024-12-20', 10, '2025-01-10', 'Christmas 2024 into 2025'],
    ['2026-12-18', 10, '2027-01-07', 'Christmas 2026 into 2027'],
    ['2029-12-21', 10, '2030-01-11', 'Christmas 2029 into 2030'],
    ['2026-12-31', 1, '2027-01-04', 'from Nytårsaftensdag over Nytårsdag and a weekend']
  ]
  for (const [start, days, expected, why] of cases) {
    t.equal(addWorkingDays(start, days), expected, `${start} + ${days}: ${why}`)
  }
})

t.test('addWorkingDays rejects bad input', async (t) => {
  for (const days of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.throws(() => addWorkingDays('2026-11-23', days), RangeError, `days ${days}`)
  }
  t.throws(() => addWorkingDays('2026-11-31', 1), RangeError, 'no such date')
  t.throws(() => addWorkingDays('9999-12-31', 1), RangeError, 'past the last supported year')
})

t.test('ASSESSMENT_WORKING_DAYS is ten (API.md)', async (t) => {
  t.equal(ASSESSMENT_WORKING_DAYS, 10)
})

t.test('copenhagenDate is the date in Denmark, across midnight and DST', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['2026-01-15T12:00:00Z', '2026-01-15', 'winter noon'],
    ['2026-03-28T22:59:59Z', '2026-03-28', 'last second of 28 March, CET'],
    ['2026-03-28T23:30:00Z', '2026-03-29', '00:30 CET on the night DST starts'],
    ['2026-03-29T00:59:59Z', '2026-03-29', 'just before the spring-forward'],
    ['2026-03-29T01:00:00Z', '2026-03-29', 'at the spring-forward, 03:00 CEST'],
    ['2026-03-29T21:59:59Z', '2026-03-29', 'last second of 29 March, CEST'],
    ['2026-03-29T22:00:00Z', '2026-03-30', 'midnight CEST'],
    ['2026-06-30T21:59:59Z', '2026-06-30', 'summer, 23:59:59 CEST'],
    ['2026-06-30T22:00:00Z', '2026-07-01', 'summer, midnight CEST'],
    ['2026-10-24T21:59:59Z', '2026-10-24', 'before the night DST ends'],
    ['2026-10-24T22:00:00Z', '2026-10-25', 'midnight CEST on the night DST ends'],
    ['2026-10-25T00:59:59Z', '2026-10-25', 'the first 02:59:59'],
    ['2026-10-25T01:00:00Z', '2026-10-25', 'the repeated 02:00, now CET'],
    ['2026-10-25T22:59:59Z', '2026-10-25', 'last second of 25 October, CET'],
    ['2026-10-25T23:00:00Z', '2026-10-26', 'midnight CET'],
    ['2026-12-31T22:59:59.999Z', '2026-12-31', 'New Year\'s Eve, last millisecond'],
    ['2026-12-31T23:00:00Z', '2027-01-01', 'New Year in Denmark, still 2026 in UTC']
  ]
  for (const [instant, expected, why] of cases) {
    t.equal(copenhagenDate(new Date(instant)), expected, `${instant}: ${why}`)
  }
})

t.test('copenhagenDate rejects an invalid Date', async (t) => {
  t.throws(() => copenhagenDate(new Date('not a date')), RangeError)
})
