import { randomUUID } from 'node:crypto'
import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import type { Response } from '../../schemas/review.ts'
import { ReviewRepository } from '../../repositories/review.ts'
import { lockVisibleProject, requireTransition } from '../projects/access.ts'
import { duplicateAs409, moveProject } from './common.ts'
import { toResponse } from './representation.ts'

/** The owning organisation answers the letter, once: letter_issued → responded. */
export async function recordResponse (uow: UnitOfWork, caller: Caller, projectId: string, input: { text: string }): Promise<Response> {
  return duplicateAs409(() => uow.run(caller, async (tx, audit) => {
    const project = await lockVisibleProject(tx, caller, projectId, { owner: true })
    const to = requireTransition(project, 'respond')

    const review = new ReviewRepository(tx)
    if (await review.response(project.id)) throw new AppError('DUPLICATE', msg('alreadyAnswered', { reference: project.reference }))

    const row = await review.insertResponse({
      id: randomUUID(),
      projectId: project.id,
      text: input.text,
      respondedBy: caller.sub
    })
    await moveProject(tx, caller, project, to)

    audit.append({
      type: 'itraad.response.received',
      project,
      data: {
        reference: project.reference,
        description: `Svar på anbefalingsbrevet modtaget for ${project.reference}.`,
        responseId: row.id,
        status: to
      }
    })
    return toResponse(row)
  }), msg('alreadyAnsweredHere'))
}
