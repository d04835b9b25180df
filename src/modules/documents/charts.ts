import { BOLD, COLOURS, contentWidth, ensureSpace, facts, REGULAR, write, type Pdf } from './pdf.ts'

/*
 * Bar charts drawn as vectors with pdfkit's own drawing operators (no canvas, no images), so they
 * are sharp at any zoom and small. Each chart also writes its figures as text: a reader who cannot
 * tell the colours apart, a screen reader and a text extraction all get the numbers.
 */

export interface Bar { label: string, value: number, colour: string }

const LABEL_SIZE = 8.5
const AXIS_COLOUR = COLOURS.rule

/** Vertical bars, one per label, the value above each; below the chart the figures as label and value. */
export function columnChart (doc: Pdf, bars: readonly Bar[], options: { height?: number, figures: ReadonlyArray<readonly [string, string]> }): void {
  const height = options.height ?? 130
  ensureSpace(doc, height + 36)
  const left = doc.page.margins.left
  const width = contentWidth(doc)
  const top = doc.y + 14 // room for the value above the tallest bar
  const base = top + height
  const max = Math.max(1, ...bars.map((bar) => bar.value))
  const slot = width / Math.max(bars.length, 1)
  const barWidth = Math.min(56, slot * 0.55)

  doc.save().moveTo(left, base).lineTo(left + width, base).lineWidth(0.75).strokeColor(AXIS_COLOUR).stroke().restore()
  bars.forEach((bar, i) => {
    const x = left + slot * i + (slot - barWidth) / 2
    const barHeight = (bar.value / max) * height
    if (barHeight > 0) doc.save().rect(x, base - barHeight, barWidth, barHeight).fill(bar.colour).restore()
    label(doc, String(bar.value), x - 10, base - barHeight - 12, barWidth + 20, true)
    label(doc, bar.label, left + slot * i, base + 4, slot, false)
  })
  doc.y = base + 22
  facts(doc, options.figures)
}

/** Horizontal bars, one row each: the label, the bar and its value. The rows are the figures. */
export function barChart (doc: Pdf, bars: readonly Bar[], options: { labelWidth?: number } = {}): void {
  const labelWidth = options.labelWidth ?? 150
  const rowHeight = 18
  const left = doc.page.margins.left
  const plotWidth = contentWidth(doc) - labelWidth - 40 // room for the value after the longest bar
  const max = Math.max(1, ...bars.map((bar) => bar.value))
  for (const bar of bars) {
    doc.font(REGULAR).fontSize(LABEL_SIZE + 1)
    const labelHeight = doc.heightOfString(bar.label, { width: labelWidth - 8 })
    const height = Math.max(rowHeight, labelHeight + 6)
    ensureSpace(doc, height)
    const top = doc.y
    doc.fillColor(COLOURS.text)
    write(doc, bar.label, { x: left, y: top + 3, width: labelWidth - 8 })
    const barWidth = (bar.value / max) * plotWidth
    if (barWidth > 0) doc.save().rect(left + labelWidth, top + 3, barWidth, rowHeight - 6).fill(bar.colour).restore()
    doc.font(BOLD).fontSize(LABEL_SIZE + 1).fillColor(COLOURS.text)
      .text(String(bar.value), left + labelWidth + barWidth + 5, top + 3, { width: 40, lineBreak: false })
    doc.y = top + height
  }
  doc.font(REGULAR).x = left
}

export interface Stack { label: string, parts: Readonly<Record<string, number>> }
export interface StackPart { key: string, label: string, colour: string }

/**
 * Stacked vertical bars (the parts bottom up in `parts`' order), the total above each bar, a legend
 * naming every colour, and below it the figures of each bar in words.
 */
export function stackedChart (doc: Pdf, stacks: readonly Stack[], parts: readonly StackPart[], options: { height?: number } = {}): void {
  const height = options.height ?? 130
  ensureSpace(doc, height + 60 + stacks.length * 18)
  const left = doc.page.margins.left
  const width = contentWidth(doc)
  const total = (stack: Stack) => parts.reduce((sum, part) => sum + (stack.parts[part.key] ?? 0), 0)
  const max = Math.max(1, ...stacks.map(total))
  const top = doc.y + 14
  const base = top + height
  const slot = width / Math.max(stacks.length, 1)
  const barWidth = Math.min(70, slot * 0.4)

  doc.save().moveTo(left, base).lineTo(left + width, base).lineWidth(0.75).strokeColor(AXIS_COLOUR).stroke().restore()
  stacks.forEach((stack, i) => {
    const x = left + slot * i + (slot - barWidth) / 2
    let y = base
    for (const part of parts) {
      const partHeight = ((stack.parts[part.key] ?? 0) / max) * height
      if (partHeight <= 0) continue
      y -= partHeight
      // A thin white edge keeps neighbouring parts apart in grey print.
      doc.save().rect(x, y, barWidth, partHeight).lineWidth(0.5).fillAndStroke(part.colour, '#ffffff').restore()
    }
    label(doc, String(total(stack)), x - 10, y - 12, barWidth + 20, true)
    label(doc, stack.label, left + slot * i, base + 4, slot, false)
  })
  doc.y = base + 24
  legend(doc, parts)
  facts(doc, stacks.map((stack) => [
    stack.label,
    `${parts.map((part) => `${part.label} ${stack.parts[part.key] ?? 0}`).join(', ')} (i alt ${total(stack)})`
  ]), 110)
}

/** A row of colour swatches, each followed by its name. */
function legend (doc: Pdf, parts: readonly StackPart[]): void {
  const left = doc.page.margins.left
  let top = doc.y
  let x = left
  doc.font(REGULAR).fontSize(LABEL_SIZE + 0.5)
  for (const part of parts) {
    const textWidth = doc.widthOfString(part.label)
    if (x > left && x + 13 + textWidth > left + contentWidth(doc)) {
      x = left
      top += 16
    }
    doc.save().rect(x, top + 1.5, 9, 9).lineWidth(0.5).fillAndStroke(part.colour, AXIS_COLOUR).restore()
    doc.fillColor(COLOURS.text).text(part.label, x + 13, top, { lineBreak: false })
    x += 13 + textWidth + 18
  }
  doc.x = left
  doc.y = top + 20
}

/** A short centred label at a point of the chart, leaving the text cursor where it was. */
function label (doc: Pdf, text: string, x: number, y: number, width: number, bold: boolean): void {
  const { x: cursorX, y: cursorY } = doc
  doc.font(bold ? BOLD : REGULAR).fontSize(LABEL_SIZE).fillColor(COLOURS.text).text(text, x, y, { width, align: 'center', lineBreak: false })
  doc.font(REGULAR)
  doc.x = cursorX
  doc.y = cursorY
}
