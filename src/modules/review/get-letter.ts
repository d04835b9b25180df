import type { Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { councilOf } from '../../domain/councils.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { organisationName } from '../../repositories/councils.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import type { Letter } from '../../schemas/review.ts'
import { letterFilename, renderLetterPdf } from '../documents/letter-pdf.ts'
import { findVisibleProject, type Project } from '../projects/access.ts'
import { toLetter } from './representation.ts'

/** The project's letter (the latest baseline's, should there ever be more than one), or 404. Anyone who can see the project may read it. */
export async function getLetter (db: Db, caller: Caller, projectId: string): Promise<Letter> {
  return (await findLetter(db, caller, projectId)).letter
}

/** The same letter as an A4 PDF in Danish, with the file name it is offered under. */
export async function getLetterPdf (db: Db, caller: Caller, projectId: string): Promise<{ filename: string, pdf: Buffer }> {
  const { project, letter } = await findLetter(db, caller, projectId)
  const pdf = await renderLetterPdf(letter, {
    councilName: councilOf(project.council).name,
    reference: project.reference,
    projectTitle: project.title,
    ownerName: await organisationName(db, project.ownerOrg)
  })
  return { filename: letterFilename(project.reference), pdf }
}

async function findLetter (db: Db, caller: Caller, projectId: string): Promise<{ project: Project, letter: Letter }> {
  const project = await findVisibleProject(db, caller, projectId)
  const letter = await new ReviewRepository(db).latestLetter(project.id)
  if (!letter) throw new AppError('NOT_FOUND', msg('noLetter'))
  return { project, letter: toLetter(letter) }
}
