import t from 'tap'
import {
  RISK_DIMENSIONS,
  RISK_PROFILES,
  RISK_PROFILE_MEANINGS,
  RISK_SCORE_MAX,
  RISK_SCORE_MIN,
  STATUS_PERIOD_PATTERN,
  TRAFFIC_LIGHTS,
  overallLight,
  type TrafficLight
} from '../../src/domain/risk.ts'

t.test('vocabulary', async (t) => {
  t.same(RISK_DIMENSIONS, ['business', 'governance', 'planning', 'technology', 'supplier', 'economy', 'security'])
  t.same(RISK_PROFILES, ['A', 'B', 'C', 'D'])
  t.same(RISK_PROFILE_MEANINGS, {
    A: { en: 'very high', da: 'meget høj' },
    B: { en: 'high', da: 'høj' },
    C: { en: 'medium', da: 'middel' },
    D: { en: 'low', da: 'lav' }
  })
  t.same(TRAFFIC_LIGHTS, ['green', 'yellow', 'red'])
  t.equal(RISK_SCORE_MIN, 1)
  t.equal(RISK_SCORE_MAX, 4)
})

t.test('overallLight is the worst light present', async (t) => {
  const cases: Array<[Array<TrafficLight | null | undefined>, TrafficLight]> = [
    [['green'], 'green'],
    [['green', 'green', 'green', 'green'], 'green'],
    [['green', 'yellow', 'green'], 'yellow'],
    [['yellow', 'green'], 'yellow'],
    [['green', 'yellow', 'red', 'green'], 'red'],
    [['red', 'yellow', 'green'], 'red'],
    [['red', 'green', null], 'red'],
    [['green', 'green', 'green', null], 'green'],
    [['yellow', undefined, 'green'], 'yellow'],
    [[null, 'red'], 'red']
  ]
  for (const [lights, expected] of cases) {
    t.equal(overallLight(lights), expected, JSON.stringify(lights))
  }
})

t.test('overallLight refuses a report without any light', async (t) => {
  t.throws(() => overallLight([]), RangeError)
  t.throws(() => overallLight([null, undefined]), RangeError)
})

t.test('STATUS_PERIOD_PATTERN', async (t) => {
  const cases: Array<[string, boolean]> = [
    ['2027-H1', true],
    ['2027-H2', true],
    ['2027-H3', false],
    ['2027-H0', false],
    ['2027-h1', false],
    ['27-H1', false],
    ['2027-H1 ', false],
    ['x2027-H1', false],
    ['2027H1', false],
    ['2027-Q1', false]
  ]
  for (const [period, expected] of cases) {
    // Twice in a row: a shared pattern must not carry state between calls.
    t.equal(STATUS_PERIOD_PATTERN.test(period), expected, period)
    t.equal(STATUS_PERIOD_PATTERN.test(period), expected, `${period} again`)
  }
})
