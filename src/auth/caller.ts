export const ROLES = ['submitter', 'council_member', 'secretariat', 'integration', 'admin'] as const
export type Role = typeof ROLES[number]

export const ORG_PATTERN = /^[A-Za-z0-9_-]{1,32}$/

/** Who is calling, from a verified token. Use cases receive this, never the request. */
export interface Caller {
  sub: string
  name: string | null
  org: string
  roles: readonly Role[]
  /** CloudEvents Auth Context `authtype`: people and integrations are `user`; the service's own work is `system`. */
  kind: 'user' | 'system'
}

export function hasRole (caller: Caller, ...roles: readonly Role[]): boolean {
  return caller.roles.some((r) => roles.includes(r))
}

/** The service itself, for work done by background workers. */
export const SYSTEM_CALLER: Caller = { sub: 'council-gate', name: 'council-gate', org: 'council-gate', roles: ['admin'], kind: 'system' }
