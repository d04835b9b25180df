import { hasRole, type Caller } from '../../auth/caller.ts'
import type { Db } from '../../db/client.ts'
import type { UnitOfWork } from '../../db/unit-of-work.ts'
import { councilOf, councilOfSecretariat, type CouncilCode } from '../../domain/councils.ts'
import { AppError, notFound } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { CouncilRepository, organisationName } from '../../repositories/councils.ts'
import { MemberRepository, type Member } from '../../repositories/members.ts'
import type { MemberChange, MemberCreate } from '../../schemas/council.ts'
import { etagOf, ifMatchAccepts, type IfMatch } from '../etag.ts'

export interface MemberResource {
  sub: string
  name: string
  email: string | null
  org: string
  council: CouncilCode
  active: boolean
}

export function toMemberResource (member: Member): MemberResource {
  return { sub: member.sub, name: member.name, email: member.email, org: member.org, council: member.council, active: member.active }
}

/** GET /v1/members: the directory as the caller may see it (MemberRepository), by name. */
export async function listMembers (db: Db, caller: Caller, council?: CouncilCode): Promise<MemberResource[]> {
  return (await new MemberRepository(db, caller).list(council)).map(toMemberResource)
}

/** One member the caller may see, with its version (the ETag), or 404. */
export async function getMember (db: Db, caller: Caller, sub: string): Promise<Member> {
  const member = await new MemberRepository(db, caller).get(sub)
  if (member === undefined) throw notFound('member')
  return member
}

/** A secretariat writes its own council's directory only (403); an admin any. */
function requireCouncilOf (caller: Caller, council: CouncilCode): void {
  if (!hasRole(caller, 'admin') && councilOfSecretariat(caller.org) !== council) throw new AppError('FORBIDDEN', msg('otherCouncilsMembers'))
}

/** POST /v1/members (admin, the secretariat of that council): emits `itraad.member.registered`. */
export async function registerMember (uow: UnitOfWork, caller: Caller, input: MemberCreate): Promise<Member> {
  requireCouncilOf(caller, input.council)
  return uow.run(caller, async (tx, audit) => {
    const organisation = await new CouncilRepository(tx).organisation(input.org)
    if (organisation === undefined) throw new AppError('RULE_VIOLATION', msg('memberOrgUnknown', { org: input.org }))
    const member = await new MemberRepository(tx, caller).insert({ ...input, email: input.email ?? null })
    if (member === undefined) throw new AppError('DUPLICATE', msg('memberExists', { sub: input.sub }))
    audit.append({
      type: 'itraad.member.registered',
      subject: `members/${member.sub}`,
      projectId: null,
      data: {
        ...toMemberResource(member),
        description: `Rådsmedlem ${member.name} (${organisation.name}) registreret i ${councilOf(member.council).name}.`
      }
    })
    return member
  })
}

/** PATCH /v1/members/{sub} (admin, the secretariat of the member's council; If-Match): emits `itraad.member.changed`. */
export async function changeMember (uow: UnitOfWork, caller: Caller, sub: string, change: MemberChange, ifMatch: IfMatch): Promise<Member> {
  return uow.run(caller, async (tx, audit) => {
    const repository = new MemberRepository(tx, caller)
    const current = await repository.get(sub)
    if (current === undefined) throw notFound('member')
    const stale = new AppError('PRECONDITION_FAILED', msg('staleVersion', { version: current.version, etag: etagOf(current.version) }))
    if (!ifMatchAccepts(ifMatch, current.version)) throw stale
    const member = await repository.update(sub, current.version, change)
    if (member === undefined) throw stale
    const changedFields = (['name', 'email', 'active'] as const).filter((field) => change[field] !== undefined && change[field] !== current[field])
    const clauses = [
      ...(changedFields.includes('name') ? [`navn ændret fra ${current.name} til ${member.name}`] : []),
      ...(changedFields.includes('email') ? ['e-mailadresse ændret'] : []),
      ...(changedFields.includes('active') ? [member.active ? 'gjort aktiv' : 'gjort inaktiv'] : [])
    ]
    audit.append({
      type: 'itraad.member.changed',
      subject: `members/${sub}`,
      projectId: null,
      data: {
        ...toMemberResource(member),
        version: member.version,
        changedFields,
        description: `Rådsmedlem ${member.name} (${await organisationName(tx, member.org)}) ${clauses.length === 0 ? 'gemt uændret' : clauses.join(' og ')}.`
      }
    })
    return member
  })
}
