// The portfolio's lights per half-year as stacked bars: inline SVG drawn here (no library), hidden
// from screen readers, with a table of the same numbers as its text alternative (visually hidden)
// and a legend that names each colour in words.
import { h } from '../dom.js'

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

/** The parts of a bar, bottom up, with their names in the legend and the table. */
const PARTS = /** @type {const} */ ([
  { key: 'green', label: 'Grøn' },
  { key: 'yellow', label: 'Gul' },
  { key: 'red', label: 'Rød' },
  { key: 'missing', label: 'Mangler statusrapport' }
])

/**
 * @typedef {{ label: string, green: number, yellow: number, red: number, missing: number }} Bar
 */

/**
 * @param {Bar[]} bars oldest first
 * @param {{ caption: string }} options
 */
export function lightsChart (bars, { caption }) {
  const width = 480
  const height = 240
  const top = 24
  const bottom = 44
  const plot = height - top - bottom
  const slot = width / Math.max(bars.length, 1)
  const barWidth = Math.min(64, slot * 0.6)
  const max = Math.max(1, ...bars.map((b) => b.green + b.yellow + b.red + b.missing))

  const drawing = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' })
  drawing.append(svg('line', { x1: 0, x2: width, y1: top + plot, y2: top + plot, class: 'chart-axis' }))
  bars.forEach((bar, i) => {
    const x = slot * i + (slot - barWidth) / 2
    let y = top + plot
    for (const part of PARTS) {
      const count = bar[part.key]
      if (count === 0) continue
      const partHeight = (count / max) * plot
      y -= partHeight
      drawing.append(svg('rect', { x, y, width: barWidth, height: partHeight, class: `chart-part chart-${part.key}` }))
    }
    const total = bar.green + bar.yellow + bar.red + bar.missing
    drawing.append(svg('text', { x: x + barWidth / 2, y: y - 6, 'text-anchor': 'middle', class: 'chart-total' }, String(total)))
    const [half, year] = bar.label.split(' halvår ')
    drawing.append(svg('text', { x: x + barWidth / 2, y: top + plot + 18, 'text-anchor': 'middle', class: 'chart-label' }, `${half ?? bar.label} halvår`))
    drawing.append(svg('text', { x: x + barWidth / 2, y: top + plot + 36, 'text-anchor': 'middle', class: 'chart-label' }, year ?? ''))
  })

  const legend = h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    PARTS.map((part) => h('li', {}, h('span', { class: `chart-swatch chart-${part.key}` }), part.label)))

  const table = h('table', { class: 'visually-hidden' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Halvår' }),
      PARTS.map((part) => h('th', { scope: 'col', text: part.label })),
      h('th', { scope: 'col', text: 'I alt' }))),
    h('tbody', {}, bars.map((bar) => h('tr', {},
      h('th', { scope: 'row', text: bar.label }),
      PARTS.map((part) => h('td', { text: String(bar[part.key]) })),
      h('td', { text: String(bar.green + bar.yellow + bar.red + bar.missing) })))))

  return h('figure', { class: 'chart-figure', 'aria-labelledby': 'chart-caption' },
    h('figcaption', { id: 'chart-caption', text: caption }),
    drawing,
    legend,
    table)
}
