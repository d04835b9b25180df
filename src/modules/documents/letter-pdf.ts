import type { Letter } from '../../schemas/review.ts'
import { categoryText, danishDateOf, profileText } from './danish.ts'
import { createPdf, facts, finishPdf, heading, paragraph } from './pdf.ts'

/** What the letter as a document shows besides the letter itself: whose it is and about what. */
export interface LetterContext {
  councilName: string
  reference: string
  projectTitle: string
  ownerName: string
}

/** The file name the letter is offered under: `anbefalingsbrev-ITR-2026-0001.pdf`. */
export const letterFilename = (reference: string) => `anbefalingsbrev-${reference}.pdf`

/**
 * The recommendation letter as an A4 PDF in Danish: the council, the particulars (reference, the
 * letter's Copenhagen date, project, owner), the council's statement, the risk profile with its
 * meaning, the recommendations (category in Danish) and whether an external review is recommended.
 */
export async function renderLetterPdf (letter: Letter, context: LetterContext): Promise<Buffer> {
  const doc = createPdf({
    title: `Anbefalingsbrev ${context.reference} — ${context.projectTitle}`,
    author: context.councilName,
    subject: `${context.councilName}s anbefalingsbrev om ${context.projectTitle}`
  })

  paragraph(doc, context.councilName, { bold: true, muted: true })
  doc.moveDown(0.8)
  heading(doc, 'Anbefalingsbrev', 1)
  facts(doc, [
    ['Reference', context.reference],
    ['Dato', danishDateOf(letter.issuedAt)],
    ['Projekt', context.projectTitle],
    ['Projektejer', context.ownerName]
  ], 110)

  heading(doc, 'Rådets udtalelse')
  paragraph(doc, letter.statement)

  heading(doc, 'Risikoprofil')
  paragraph(doc, `Rådet vurderer projektets samlede risikoprofil til ${profileText(letter.riskProfile)}.`)

  heading(doc, 'Anbefalinger')
  if (letter.recommendations.length === 0) paragraph(doc, 'Rådet har ingen konkrete anbefalinger.')
  letter.recommendations.forEach((recommendation, i) => {
    paragraph(doc, `${i + 1}. ${categoryText(recommendation.category)}`, { bold: true })
    paragraph(doc, recommendation.text, { indent: 14 })
  })

  heading(doc, 'Eksternt review')
  paragraph(doc, letter.externalReviewRecommended ? 'Rådet anbefaler et eksternt review.' : 'Rådet anbefaler ikke et eksternt review.')

  return finishPdf(doc, `${context.councilName} · Anbefalingsbrev ${context.reference}`)
}
