import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

/*
 * The service's PDF documents (the recommendation letter, the annual report): A4 pages in Danish
 * with Noto Sans embedded, regular and bold. The standard 14 PDF fonts are never used: they know
 * only WinAnsi, and a reader's text extraction of æ, ø and å from them depends on the reader; an
 * embedded font carries its own Unicode map, so the text copies and searches as it was written.
 * pdfkit embeds only the glyphs a document uses.
 *
 * fontsource ships Noto Sans in one file per script subset. Latin holds Danish and the usual
 * punctuation (– — ‘’ “” … •, €); what people write into a letter may also hold other European
 * letters (Dvořák, Łódź, Ελλάδα), so `write` sets each run of text in the subset whose Unicode
 * ranges (fontsource's unicode.json) hold it. A character in none of them (an emoji, ≥) is written
 * as U+FFFD, which reads as a replaced character instead of an invisible gap.
 */

export type Pdf = PDFKit.PDFDocument

const require = createRequire(import.meta.url)
const SUBSETS = ['latin', 'latin-ext', 'greek', 'cyrillic'] as const
type Subset = (typeof SUBSETS)[number]
type Weight = 400 | 700

const fontName = (subset: Subset, weight: Weight) => `${subset}-${weight}`
const fontFile = (subset: Subset, weight: Weight) => require.resolve(`@fontsource/noto-sans/files/noto-sans-${subset}-${weight}-normal.woff`)

/** Each subset's code point ranges, from fontsource's "U+0000-00FF,U+0131,…". */
const RANGES: ReadonlyArray<readonly [Subset, ReadonlyArray<readonly [number, number]>]> = (() => {
  const declared = JSON.parse(readFileSync(require.resolve('@fontsource/noto-sans/unicode.json'), 'utf8')) as Record<string, string>
  return SUBSETS.map((subset) => [subset, declared[subset]!.split(',').map((range) => {
    const [from = '', to = from] = range.trim().replace(/^U\+/i, '').split('-')
    return [parseInt(from, 16), parseInt(to, 16)] as const
  })] as const)
})()

function subsetOf (codePoint: number): Subset | undefined {
  return RANGES.find(([, ranges]) => ranges.some(([from, to]) => codePoint >= from && codePoint <= to))?.[0]
}

/** The text cut into runs of one subset each; U+FFFD (Latin) for a character no subset holds. */
function runs (text: string): Array<{ subset: Subset, text: string }> {
  const out: Array<{ subset: Subset, text: string }> = []
  for (const char of text) {
    const subset = subsetOf(char.codePointAt(0)!)
    const [use, written] = subset === undefined ? ['latin' as const, '\uFFFD'] : [subset, char]
    const last = out.at(-1)
    if (last?.subset === use) last.text += written
    else out.push({ subset: use, text: written })
  }
  return out.length > 0 ? out : [{ subset: 'latin', text: '' }]
}

/** The fonts by the names the documents select them with: Latin, for the service's own words. */
export const REGULAR = fontName('latin', 400)
export const BOLD = fontName('latin', 700)

/** 20 mm on every side, and a little more at the foot for the page line. */
const MARGINS = { top: 57, left: 57, right: 57, bottom: 70 }

export const COLOURS = { text: '#1a1a1a', muted: '#555555', rule: '#999999' } as const

const SIZES = { body: 10.5, small: 8.5, h1: 18, h2: 13, h3: 11 } as const

export interface PdfInfo {
  /** The document's title (metadata, and what a reader shows in its title bar). */
  title: string
  /** Who issues it: the council. */
  author: string
  subject?: string
}

/** A new A4 document (595.28 × 841.89 pt) in Danish with the embedded fonts, the regular one selected. */
export function createPdf (info: PdfInfo): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    // Pages are kept until the end, so that the page line can say "Side 1 af 3".
    bufferPages: true,
    lang: 'da-DK',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: info.title, Author: info.author, ...(info.subject === undefined ? {} : { Subject: info.subject }), Creator: 'council-gate' },
    // Without a font of its own pdfkit starts in Helvetica, a standard 14 font.
    font: fontFile('latin', 400),
    autoFirstPage: false
  })
  // Registered by name only: a file is read when a text first needs it.
  for (const subset of SUBSETS) for (const weight of [400, 700] as const) doc.registerFont(fontName(subset, weight), fontFile(subset, weight))
  doc.addPage()
  doc.font(REGULAR).fontSize(SIZES.body).fillColor(COLOURS.text)
  return doc
}

/** The width between the margins. */
export function contentWidth (doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right
}

/**
 * Writes text, as `doc.text` does (at `x`, `y` when given, else at the cursor), in the regular or
 * bold weight, each run of characters in the Noto Sans subset that holds them.
 */
export function write (doc: Pdf, text: string, options: PDFKit.Mixins.TextOptions & { bold?: boolean, x?: number, y?: number } = {}): void {
  const { bold = false, x, y, ...textOptions } = options
  const weight = bold ? 700 : 400
  runs(text).forEach((run, i, all) => {
    doc.font(fontName(run.subset, weight))
    const runOptions = { ...textOptions, continued: i < all.length - 1 }
    if (i === 0 && x !== undefined) doc.text(run.text, x, y, runOptions)
    else doc.text(run.text, runOptions)
  })
  doc.font(bold ? BOLD : REGULAR)
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function ensureSpace (doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage()
}

/**
 * A heading: 1 the document's title, 2 a section, 3 a part of one. Kept on a page with the lines
 * after it, and with `keep` points more (a chart that belongs to it).
 */
export function heading (doc: Pdf, text: string, level: 1 | 2 | 3 = 2, keep = 0): void {
  const size = level === 1 ? SIZES.h1 : level === 2 ? SIZES.h2 : SIZES.h3
  ensureSpace(doc, size * 1.4 + SIZES.body * 3 + keep)
  if (level !== 1 && doc.y > doc.page.margins.top) doc.moveDown(level === 2 ? 0.9 : 0.5)
  doc.x = doc.page.margins.left
  doc.fontSize(size).fillColor(COLOURS.text)
  write(doc, text, { bold: true, width: contentWidth(doc) })
  doc.moveDown(level === 1 ? 0.6 : 0.3)
  doc.font(REGULAR).fontSize(SIZES.body)
}

/** Body text across the page, line breaks kept. */
export function paragraph (doc: Pdf, text: string, options: { bold?: boolean, muted?: boolean, indent?: number } = {}): void {
  const indent = options.indent ?? 0
  doc.x = doc.page.margins.left + indent
  doc.fontSize(SIZES.body).fillColor(options.muted ? COLOURS.muted : COLOURS.text)
  write(doc, text, { bold: options.bold ?? false, width: contentWidth(doc) - indent, lineGap: 2, paragraphGap: 4 })
  doc.font(REGULAR).fillColor(COLOURS.text)
  doc.x = doc.page.margins.left
}

/** Label and value pairs in two columns: the letter's particulars, the report's key figures. */
export function facts (doc: Pdf, rows: ReadonlyArray<readonly [string, string]>, labelWidth = 150): void {
  const left = doc.page.margins.left
  const valueWidth = contentWidth(doc) - labelWidth
  doc.fontSize(SIZES.body)
  for (const [label, value] of rows) {
    const height = Math.max(
      doc.font(BOLD).heightOfString(label, { width: labelWidth - 8 }),
      doc.font(REGULAR).heightOfString(value, { width: valueWidth }))
    ensureSpace(doc, height)
    const top = doc.y
    write(doc, label, { bold: true, x: left, y: top, width: labelWidth - 8 })
    write(doc, value, { x: left + labelWidth, y: top, width: valueWidth })
    doc.y = top + height + 3
  }
  doc.x = left
}

/**
 * Writes the page line on every page ("<footer> · Side 1 af 2") and ends the document: its bytes.
 * Documents are small (a letter, a report of a few pages), so they are built in memory.
 */
export async function finishPdf (doc: Pdf, footer: string): Promise<Buffer> {
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    const { left, bottom } = doc.page.margins
    // Below the bottom margin, where text would otherwise start a new page.
    doc.page.margins.bottom = 0
    doc.font(REGULAR).fontSize(SIZES.small).fillColor(COLOURS.muted)
      .text(`${footer} · Side ${i - start + 1} af ${count}`, left, doc.page.height - bottom + 24, { width: contentWidth(doc), align: 'center', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })
  doc.end()
  await ended
  return Buffer.concat(chunks)
}
