import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Caller } from '../../auth/caller.ts'
import { responses } from '../../db/schema/index.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import type { Response } from '../../schemas/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject, subjectOf } from './common.ts'
import { toResponse } from './representation.ts'

/** The owning organisation answers the letter, once: letter_issued → responded. */
export async function recordResponse (uow: UnitOfWork, caller: Caller, projectId: string, input: { text: string }): Promise<Response> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    const to = requireTransition(project, 'respond')

    const [existing] = await tx.select({ id: responses.id }).from(responses).where(eq(responses.projectId, project.id)).limit(1)
    if (existing) throw new AppError('DUPLICATE', `${project.reference} has already answered its letter`)

    const [row] = await tx.insert(responses).values({
      id: randomUUID(),
      projectId: project.id,
      text: input.text,
      respondedBy: caller.sub
    }).returning()
    await moveProject(tx, project, to)

    audit.append({
      type: 'itraad.response.received',
      subject: subjectOf(project.id),
      projectId: project.id,
      data: {
        reference: project.reference,
        description: `Svar på anbefalingsbrevet modtaget for ${project.reference}.`,
        responseId: row!.id,
        status: to
      }
    })
    return toResponse(row!)
  }), 'the project has already answered its letter')
}
