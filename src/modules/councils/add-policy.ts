import type { Caller } from '../../auth/caller.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { copenhagenDate } from '../../domain/calendar.ts'
import { councilOf } from '../../domain/councils.ts'
import type { GatePolicy } from '../../domain/gate.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { CouncilRepository } from '../../repositories/councils.ts'
import type { PolicyCreate } from '../../schemas/council.ts'
import { requireCouncil } from './read.ts'

/**
 * POST /v1/councils/{code}/policies (admin): a new policy version, in force from a date after
 * today (no retroactive rules: 422); its id unique and its date the council's only one (409).
 * Emits `itraad.policy.added`. A version is never changed afterwards (a trigger refuses it).
 */
export async function addPolicy (uow: UnitOfWork, caller: Caller, code: string, input: PolicyCreate): Promise<GatePolicy> {
  const council = requireCouncil(code)
  const today = copenhagenDate(new Date())
  if (input.effectiveFrom <= today) throw new AppError('RULE_VIOLATION', msg('policyNotInFuture', { today }))
  return uow.run(caller, async (tx, audit) => {
    const repository = new CouncilRepository(tx)
    if (!await repository.lockCouncil(council)) throw notFound('council')
    const existing = await repository.policies(council)
    if (existing.some((policy) => policy.effectiveFrom === input.effectiveFrom)) {
      throw new AppError('DUPLICATE', msg('policyDateTaken', { date: input.effectiveFrom }))
    }
    const policy = await repository.addPolicy({ ...input, council }, caller.sub)
    if (policy === undefined) throw new AppError('DUPLICATE', msg('policyExists', { id: input.id }))
    audit.append({
      type: 'itraad.policy.added',
      subject: `councils/${council}/policies/${policy.id}`,
      projectId: null,
      data: {
        ...policy,
        description: `${councilOf(council).name}: regelsæt ${policy.id} (version ${policy.version}) gælder fra ${policy.effectiveFrom}; ` +
          `rådsbehandling fra ${policy.rule.minEligibleCostDkk.toLocaleString('da-DK')} kr.` +
          (policy.rule.requireAllRegions ? ' og alle fem regioner.' : '.')
      }
    })
    return policy
  })
}
