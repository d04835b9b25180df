// Bar charts for the portfolio and the annual report: inline SVG drawn here (no library), hidden
// from screen readers, with a table of the same numbers as its text alternative (visually hidden)
// and a legend that names each colour in words. A bar may be stacked from several parts (the
// lights of a half-year) or be one part (letters per risk profile).
import { h, uid } from '../dom.js'

const SVG = 'http://www.w3.org/2000/svg'

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {string} [text]
 */
function svg (tag, attributes = {}, text) {
  const el = document.createElementNS(SVG, tag)
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value))
  if (text !== undefined) el.textContent = text
  return el
}

/**
 * @typedef {{ key: string, label: string }} Part a part of a bar, drawn in the colour of `chart-<key>`
 * @typedef {{ label: string, lines?: string[], values: Record<string, number> }} Bar `label` in the
 *   table; `lines` under the bar (default: the label)
 */

/**
 * @param {Bar[]} bars in the order they stand
 * @param {{ caption: string, parts: readonly Part[], rowHeading: string }} options `rowHeading`
 *   heads the table's column of bar labels
 */
export function barChart (bars, { caption, parts, rowHeading }) {
  // Room for a label of about 12 characters under each bar.
  const width = Math.max(480, bars.length * 96)
  const height = 240
  const top = 24
  const bottom = 44
  const plot = height - top - bottom
  const slot = width / Math.max(bars.length, 1)
  const barWidth = Math.min(64, slot * 0.6)
  /** @param {Bar} bar */
  const totalOf = (bar) => parts.reduce((sum, part) => sum + (bar.values[part.key] ?? 0), 0)
  const max = Math.max(1, ...bars.map(totalOf))

  const drawing = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' })
  drawing.append(svg('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'chart-axis' }))
  bars.forEach((bar, i) => {
    const x = slot * i + (slot - barWidth) / 2
    let y = top + plot
    for (const part of parts) {
      const count = bar.values[part.key] ?? 0
      if (count === 0) continue
      const partHeight = (count / max) * plot
      y -= partHeight
      drawing.append(svg('rect', { x, y, width: barWidth, height: partHeight, class: `chart-part chart-${part.key}` }))
    }
    drawing.append(svg('text', { x: x + barWidth / 2, y: y - 6, 'text-anchor': 'middle', class: 'chart-total' }, String(totalOf(bar))))
    ;(bar.lines ?? [bar.label]).slice(0, 2).forEach((line, n) => {
      drawing.append(svg('text', { x: x + barWidth / 2, y: top + plot + 18 * (n + 1), 'text-anchor': 'middle', class: 'chart-label' }, line))
    })
  })

  // One part needs no legend: the caption says what is counted.
  const legend = parts.length < 2
    ? null
    : h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
      parts.map((part) => h('li', {}, h('span', { class: `chart-swatch chart-${part.key}` }), part.label)))

  const table = h('table', { class: 'visually-hidden' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: rowHeading }),
      parts.map((part) => h('th', { scope: 'col', text: part.label })),
      parts.length < 2 ? null : h('th', { scope: 'col', text: 'I alt' }))),
    h('tbody', {}, bars.map((bar) => h('tr', {},
      h('th', { scope: 'row', text: bar.label }),
      parts.map((part) => h('td', { text: String(bar.values[part.key] ?? 0) })),
      parts.length < 2 ? null : h('td', { text: String(totalOf(bar)) })))))

  const captionId = uid('chart-caption')
  return h('figure', { class: 'chart-figure', 'aria-labelledby': captionId },
    h('figcaption', { id: captionId, text: caption }),
    drawing,
    legend,
    table)
}

/** The portfolio's parts of a half-year's bar, bottom up. */
const LIGHT_PARTS = [
  { key: 'green', label: 'Grøn' },
  { key: 'yellow', label: 'Gul' },
  { key: 'red', label: 'Rød' },
  { key: 'missing', label: 'Mangler statusrapport' }
]

/**
 * "2. halvår 2026" under its bar as "2. halvår" over "2026".
 * @param {string} label
 */
export function halfYearLines (label) {
  const [half, year] = label.split(' halvår ')
  return year === undefined ? [label] : [`${half} halvår`, year]
}

/**
 * @typedef {{ label: string, green: number, yellow: number, red: number, missing: number }} LightsBar
 */

/**
 * The portfolio's lights per half-year.
 * @param {LightsBar[]} bars oldest first
 * @param {{ caption: string }} options
 */
export function lightsChart (bars, { caption }) {
  return barChart(bars.map((bar) => ({ label: bar.label, lines: halfYearLines(bar.label), values: { green: bar.green, yellow: bar.yellow, red: bar.red, missing: bar.missing } })), { caption, parts: LIGHT_PARTS, rowHeading: 'Halvår' })
}
