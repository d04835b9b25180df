import fc from 'fast-check'
import t from 'tap'
import { canonicalJson } from '../../src/canonical-json.ts'

// RFC 8785's own examples (sections 3.2.2 and 3.2.3), and the cases where JSON.stringify alone
// would not be canonical.

t.test('RFC 8785 3.2.2: numbers, strings and literals as ECMAScript writes them', async (t) => {
  const input = JSON.parse('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], ' +
    '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}')
  t.equal(canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
})

t.test('RFC 8785 3.2.3: keys in UTF-16 code-unit order, at every level', async (t) => {
  const input = JSON.parse('{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", ' +
    '"1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}')
  const keys = Object.keys(JSON.parse(canonicalJson(input)) as object)
  // JSON.parse puts the array index "1" first again; the text is what counts.
  t.equal(canonicalJson(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
    '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}')
  t.equal(keys.length, 7)
  t.equal(canonicalJson({ b: { z: 1, a: [{ y: 2, x: 1 }] }, a: 0 }), '{"a":0,"b":{"a":[{"x":1,"y":2}],"z":1}}')
})

t.test('array-index keys sort as strings, not in the order JavaScript enumerates them', async (t) => {
  t.equal(canonicalJson({ 9: 'a', 10: 'b', '-x': 'c', x: 'd' }), '{"-x":"c","10":"b","9":"a","x":"d"}')
})

t.test('what JSON drops or rewrites: undefined, -0, toJSON', async (t) => {
  t.equal(canonicalJson({ a: undefined, b: [undefined], c: -0, d: new Date(0) }), '{"b":[null],"c":0,"d":"1970-01-01T00:00:00.000Z"}')
})

t.test('values without a canonical form are refused', async (t) => {
  const cycle: Record<string, unknown> = {}
  cycle.self = cycle
  for (const [name, value] of [['NaN', { a: Number.NaN }], ['Infinity', { a: Number.POSITIVE_INFINITY }], ['BigInt', { a: 1n }],
    ['a function', { a: () => 1 }], ['a cycle', cycle], ['undefined itself', undefined]] as const) {
    t.throws(() => canonicalJson(value), name)
  }
})

// For any JSON value, as it comes and with every object's keys put in order first, the output is
// the value's keys sorted at every level, written by JSON.stringify.
t.test('any JSON value, its keys in order or not: the same canonical bytes', async (t) => {
  const sortedCopy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortedCopy)
    if (value === null || typeof value !== 'object') return value
    // Built on a null prototype: keys such as "__proto__" stay plain keys.
    const out = Object.create(null) as Record<string, unknown>
    for (const key of Object.keys(value).sort()) out[key] = sortedCopy((value as Record<string, unknown>)[key])
    return out
  }
  // What JCS says: keys sorted by UTF-16 code units at every level, the rest as JSON.stringify.
  const expected = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(expected).join(',')}]`
    if (value === null || typeof value !== 'object') return JSON.stringify(value)
    const object = value as Record<string, unknown>
    return `{${Object.keys(object).sort().map((key) => `${JSON.stringify(key)}:${expected(object[key])}`).join(',')}}`
  }
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
    const want = expected(value)
    t.equal(canonicalJson(value), want)
    t.equal(canonicalJson(sortedCopy(value)), want)
  }), { numRuns: 500 })
})

t.test('in key order, but not plain JSON: the same answers as for any other value', async (t) => {
  t.equal(canonicalJson({ a: [undefined, 1], b: new Date(0) }), '{"a":[null,1],"b":"1970-01-01T00:00:00.000Z"}')
  t.equal(canonicalJson({ a: { toJSON: () => ({ y: 1, x: 2 }) } }), '{"a":{"x":2,"y":1}}')
  t.equal(canonicalJson({ a: 1, b: undefined, c: 2 }), '{"a":1,"c":2}')
  t.throws(() => canonicalJson({ a: 1, b: Number.NaN }), 'NaN in an ordered object')
  t.throws(() => canonicalJson({ a: [1n] }), 'BigInt in an ordered object')
  const deep: Record<string, unknown> = { a: 1 }
  let inner = deep
  for (let i = 0; i < 40; i++) inner = (inner.b = { a: i }) as Record<string, unknown>
  t.equal(JSON.parse(canonicalJson(deep)).b.b.b.a, 2, 'deep values: still canonical')
})
