import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import { addWorkingDays, copenhagenDate } from '../../domain/calendar.ts'
import { councilOfSecretariat, SUBMITTING_KINDS, type CouncilCode, type ProjectKind } from '../../domain/councils.ts'
import { decideGate, type GateDecision, type GateEvaluation, type GateInput, type GatePolicy } from '../../domain/gate.ts'
import type { ProjectStatus } from '../../domain/lifecycle.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { CouncilRepository, type Organisation } from '../../repositories/councils.ts'

/**
 * The organisation a submitter acts for: a known, active region or state authority (403
 * `/unknown-organisation` otherwise). Its council is the council of the projects it owns.
 */
export async function submittingOrganisation (db: Db, caller: Caller): Promise<Organisation & { council: CouncilCode }> {
  const organisation = await new CouncilRepository(db).organisation(caller.org)
  if (organisation === undefined || !organisation.active || !SUBMITTING_KINDS.includes(organisation.kind) || organisation.council === null) {
    throw new AppError('UNKNOWN_ORGANISATION', msg('unknownOrganisation', { org: caller.org }))
  }
  return { ...organisation, council: organisation.council }
}

/**
 * The regions rule of the councils (API.md v1.1): a regional project names 1–5 regions, its owner
 * among them; a state project may name 0–5 (the schema holds the 5 and distinctness). 422.
 */
export function checkParticipation (council: CouncilCode, owner: { code: string, name: string }, participatingRegions: readonly string[]): void {
  if (council !== 'regions') return
  if (participatingRegions.length === 0) throw new AppError('RULE_VIOLATION', msg('regionalProjectNeedsRegions'))
  if (!participatingRegions.includes(owner.code)) throw new AppError('RULE_VIOLATION', msg('ownerMustParticipate', { org: owner.code, name: owner.name }))
}

/** The council's policy version in force on `date` (Copenhagen). */
export async function policyInForce (db: Db, council: CouncilCode, date: string): Promise<GatePolicy> {
  const policy = await new CouncilRepository(db).policyInForce(council, date)
  // Unreachable with the seeded versions (2011 and 2019): the clock is past them.
  if (policy === undefined) throw new AppError('STATE_CONFLICT', msg('noPolicyInForce', { council, date }))
  return policy
}

/**
 * POST /v1/gate/preview: the verdict a submission would get now, nothing stored. A submitter's
 * draft is judged by its organisation's council, with the regions rule as at submission; a
 * secretariat's by its own council's gate; an admin's by the council it names (regions by default).
 */
export async function previewGate (db: Db, caller: Caller, draft: GateInput & { council?: CouncilCode | undefined }): Promise<GateEvaluation> {
  let council: CouncilCode
  if (hasRole(caller, 'admin')) {
    council = draft.council ?? 'regions'
  } else if (hasRole(caller, 'secretariat')) {
    council = councilOfSecretariat(caller.org)!
  } else {
    const owner = await submittingOrganisation(db, caller)
    checkParticipation(owner.council, owner, draft.participatingRegions)
    council = owner.council
  }
  const now = new Date()
  return decideGate(draft, await policyInForce(db, council, copenhagenDate(now)), now).evaluation
}

/**
 * The Copenhagen date a review clock starts on, and the letter's due date the policy's working
 * days for the project's kind later.
 */
export function reviewClock (now: Date, policy: GatePolicy, kind: ProjectKind): { submittedOn: string, assessmentDueOn: string } {
  const submittedOn = copenhagenDate(now)
  return { submittedOn, assessmentDueOn: addWorkingDays(submittedOn, policy.reviewWorkingDays[kind]) }
}

/** The Danish clause on review for an event description: required by the gate, requested, or not required. */
export function reviewClause (decision: GateDecision): string {
  if (!decision.evaluation.reviewRequired) return 'rådsbehandling ikke påkrævet'
  return decision.ruleMet ? 'rådsbehandling påkrævet' : 'frivillig rådsbehandling anmodet'
}

export const STATUS_DA: Record<ProjectStatus, string> = {
  not_required: 'ikke omfattet af rådsbehandling',
  awaiting_assessment: 'afventer vurdering',
  under_assessment: 'under vurdering',
  letter_issued: 'anbefalingsbrev udsendt',
  responded: 'anbefalingsbrev besvaret',
  withdrawn: 'trukket tilbage',
  closed: 'afsluttet'
}
