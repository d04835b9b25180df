/**
 * The floor: a minimal Fastify + pg server that does the same logical work as the service for the
 * requests the bench loads, written the plain way: parameterised queries on a pg pool, a
 * submission as one transaction on one checked-out client. No authentication, no validation, no
 * canonical JSON, no per-request logging, no background workers. What the service costs above
 * this is what it adds to PostgreSQL.
 *
 *   DATABASE_URL=postgres://… PORT=3901 node --import tsx bench/floor-server.ts
 *
 * POST /v1/projects    BEGIN; read the caller's organisation and its council's policy version in
 *                      force today; insert the project (its reference drawn by nextval in the insert,
 *                      returned); insert baseline 1; insert the `itraad.project.submitted` event
 *                      (its body built here once the reference is known) with its audit_unsealed
 *                      row; COMMIT
 * GET /v1/projects     a page of the caller's visible projects (limit + 1), then their letters
 * GET /v1/projects/:id the project if visible, then its letter
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'

const EXCLUDED = ['operations', 'interest']
const REGIONS = ['1081', '1082', '1083', '1084', '1085']

// The submitter the bench loads with; the floor has no tokens.
const CALLER = { sub: 'bench-submitter-1084', org: '1084', kind: 'user' }

const PROJECT_COLUMNS = 'id, reference, owner_org, council, kind, status, title, description, participating_regions, ' +
  'phase, budget_lines, planned_start, planned_end, contact, review_requested, eligible_cost_dkk, ' +
  'total_cost_dkk, review_required, gating, submitted_on, assessment_due_on, version, created_at, updated_at'

// `ITR-<year>-<number>`, the number from the sequence, at least four digits.
const INSERT_PROJECT = `insert into projects (${PROJECT_COLUMNS}) values ($1, ` +
  "(select 'ITR-' || $2::text || '-' || lpad(n, greatest(4, length(n)), '0') from (select nextval('project_reference_seq')::text as n) as drawn), " +
  '$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) returning reference'
const ORGANISATION = 'select name, kind, council, active from organisations where code = $1'
const POLICY = 'select id, version, rule, review_working_days from policies where council = $1 and effective_from <= $2 order by effective_from desc limit 1'
const INSERT_BASELINE = 'insert into project_baselines (project_id, version, content, gating, created_by, created_at) values ($1, $2, $3, $4, $5, $6)'
const INSERT_EVENT = 'with event as (insert into audit_events (id, project_id, type, body) values ($1, $2, $3, $4) returning pos) ' +
  'insert into audit_unsealed (pos) select pos from event'

const LIST = `select ${PROJECT_COLUMNS}, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position ` +
  'from projects where (owner_org = $1 or participating_regions @> $2) order by created_at desc nulls last, id desc nulls last limit $3'
const GET = `select ${PROJECT_COLUMNS} from projects where id = $1 and (owner_org = $2 or participating_regions @> $3) limit 1`
const LETTERS = 'select distinct on (project_id) project_id, risk_profile, issued_at from letters ' +
  'where project_id = any($1::uuid[]) order by project_id, issued_at desc'

interface Submission {
  title: string
  description: string
  participatingRegions: string[]
  phase: string
  budgetLines: Array<{ category: string, year: number, amountDkk: number }>
  plannedStart: string
  plannedEnd: string
  contact: { name: string, email: string }
  reviewRequested?: boolean
}

type Row = Record<string, unknown>

function resource (row: Row, letter: Row | undefined) {
  const gating = row.gating as Row
  return {
    id: row.id,
    reference: row.reference,
    ownerOrg: row.owner_org,
    council: row.council,
    kind: row.kind,
    status: row.status,
    title: row.title,
    description: row.description,
    participatingRegions: row.participating_regions,
    phase: row.phase,
    budgetLines: row.budget_lines,
    plannedStart: row.planned_start,
    plannedEnd: row.planned_end,
    contact: row.contact,
    reviewRequested: row.review_requested,
    eligibleCostDkk: Number(row.eligible_cost_dkk),
    totalCostDkk: Number(row.total_cost_dkk),
    gating: { reviewRequired: gating.reviewRequired, policy: gating.policy, policyVersion: gating.policyVersion, reasons: gating.reasons, evaluatedAt: gating.evaluatedAt },
    assessmentDueOn: row.assessment_due_on,
    letter: letter ? { riskProfile: letter.risk_profile, issuedAt: letter.issued_at } : null,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

// Dates (planned_start, …) as the 'YYYY-MM-DD' text PostgreSQL sends, as the API shows them;
// pg's default would make local-midnight Dates of them. Timestamps stay Dates (JSON: RFC 3339).
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format)
}

interface Policy { id: string, version: number, rule: { minEligibleCostDkk: number, requireAllRegions: boolean } }

/** A regional policy's gate (regions-2019 for the bench's caller), as the service evaluates it (src/domain/gate.ts). */
function gate (s: Submission, evaluatedAt: string, policy: Policy) {
  const threshold = policy.rule.minEligibleCostDkk
  let eligible = 0
  let total = 0
  for (const line of s.budgetLines) {
    total += line.amountDkk
    if (!EXCLUDED.includes(line.category)) eligible += line.amountDkk
  }
  const missing = REGIONS.filter((r) => !s.participatingRegions.includes(r))
  const meetsRule = eligible >= threshold && missing.length === 0
  const reasons = [
    `eligible cost ${eligible} DKK is ${eligible >= threshold ? 'at or above' : 'below'} ${threshold} DKK`,
    missing.length === 0 ? 'all five regions participate' : `only ${REGIONS.length - missing.length} of ${REGIONS.length} required regions participate (missing ${missing.join(', ')})`
  ]
  if (s.reviewRequested === true) reasons.push('review requested')
  const gating = {
    eligibleCostDkk: eligible,
    evaluatedAt,
    policy: policy.id,
    policyVersion: policy.version,
    reasons,
    reviewRequired: meetsRule || s.reviewRequested === true,
    totalCostDkk: total
  }
  const clause = !gating.reviewRequired ? 'rådsbehandling ikke påkrævet' : meetsRule ? 'rådsbehandling påkrævet' : 'frivillig rådsbehandling anmodet'
  return { gating, clause }
}

export async function buildFloor (opts: { databaseUrl: string, poolSize: number }): Promise<FastifyInstance> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize, types })
  pool.on('error', () => {})
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  app.addHook('onClose', async () => { await pool.end() })

  app.get('/health/ready', async () => {
    await pool.query('select 1')
    return { status: 'ok' }
  })

  app.post('/v1/projects', async (request, reply) => {
    const s = request.body as Submission
    const now = new Date()
    const iso = now.toISOString()
    const reviewRequested = s.reviewRequested ?? false
    const content = { ...s, reviewRequested }
    const id = randomUUID()

    const client = await pool.connect()
    let reference: string
    let gating: ReturnType<typeof gate>['gating']
    let clause: string
    let status: string
    let due: string | null
    let owner: Row
    try {
      await client.query('BEGIN')
      owner = (await client.query(ORGANISATION, [CALLER.org])).rows[0]!
      const policy = (await client.query(POLICY, [owner.council, iso.slice(0, 10)])).rows[0] as Policy & { review_working_days: { project: number } }
      ;({ gating, clause } = gate(s, iso, policy))
      status = gating.reviewRequired ? 'awaiting_assessment' : 'not_required'
      // The service counts the policy's Danish working days; two weeks is the same work for the database.
      due = gating.reviewRequired ? new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10) : null
      const gatingJson = JSON.stringify(gating)
      const { rows } = await client.query<{ reference: string }>(INSERT_PROJECT, [
        id, iso.slice(0, 4), CALLER.org, owner.council, 'project', status, s.title, s.description, s.participatingRegions, s.phase,
        JSON.stringify(s.budgetLines), s.plannedStart, s.plannedEnd, JSON.stringify(s.contact), reviewRequested,
        gating.eligibleCostDkk, gating.totalCostDkk, gating.reviewRequired, gatingJson, iso.slice(0, 10), due, 1, iso, iso
      ])
      reference = rows[0]!.reference
      await client.query(INSERT_BASELINE, [id, 1, JSON.stringify(content), JSON.stringify(gating), CALLER.sub, iso])
      // The CloudEvent of the service's `itraad.project.submitted` (src/db/unit-of-work.ts, AuditLog.append).
      const eventId = randomUUID()
      const body = JSON.stringify({
        actororg: CALLER.org,
        authid: CALLER.sub,
        authtype: CALLER.kind,
        data: {
          assessmentDueOn: due,
          council: owner.council,
          description: `Projekt ${reference} "${s.title.replace(/\s+/g, ' ')}" indsendt af ${owner.name as string}; ${clause}.`,
          eligibleCostDkk: gating.eligibleCostDkk,
          gating,
          kind: 'project',
          ownerOrg: CALLER.org,
          reference,
          status,
          totalCostDkk: gating.totalCostDkk,
          version: 1
        },
        datacontenttype: 'application/json',
        id: eventId,
        source: '/council-gate',
        specversion: '1.0',
        subject: `projects/${id}`,
        time: iso,
        type: 'itraad.project.submitted'
      })
      await client.query(INSERT_EVENT, [eventId, id, 'itraad.project.submitted', body])
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }

    reply.header('location', `/v1/projects/${id}`).header('etag', '"1"').code(201)
    return resource({
      id,
      reference,
      owner_org: CALLER.org,
      council: owner.council,
      kind: 'project',
      status,
      title: s.title,
      description: s.description,
      participating_regions: s.participatingRegions,
      phase: s.phase,
      budget_lines: s.budgetLines,
      planned_start: s.plannedStart,
      planned_end: s.plannedEnd,
      contact: s.contact,
      review_requested: reviewRequested,
      eligible_cost_dkk: gating.eligibleCostDkk,
      total_cost_dkk: gating.totalCostDkk,
      gating,
      assessment_due_on: due,
      version: 1,
      created_at: iso,
      updated_at: iso
    }, undefined)
  })

  app.get('/v1/projects', async (request) => {
    const limit = Number((request.query as { limit?: string }).limit ?? 50)
    const { rows } = await pool.query<Row>(LIST, [CALLER.org, [CALLER.org], limit + 1])
    const page = rows.slice(0, limit)
    const letters = page.length === 0 ? [] : (await pool.query<Row>(LETTERS, [page.map((r) => r.id)])).rows
    const byProject = new Map(letters.map((l) => [l.project_id, l]))
    const last = page[page.length - 1]
    return {
      items: page.map((r) => resource(r, byProject.get(r.id))),
      nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify({ createdAt: last.position, id: last.id })).toString('base64url') : null
    }
  })

  app.get('/v1/projects/:id', async (request, reply) => {
    const { id } = request.params as { id: string }
    const { rows } = await pool.query<Row>(GET, [id, CALLER.org, [CALLER.org]])
    const row = rows[0]
    if (!row) return reply.code(404).send({ status: 404 })
    const letters = (await pool.query<Row>(LETTERS, [[id]])).rows
    reply.header('etag', `"${String(row.version)}"`)
    return resource(row, letters[0])
  })

  return app
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('DATABASE_URL is required')
  const app = await buildFloor({ databaseUrl, poolSize: Number(process.env.DB_POOL_SIZE ?? 4) })
  await app.listen({ port: Number(process.env.PORT ?? 3901), host: '127.0.0.1' })
  const stop = () => { void app.close().then(() => process.exit(0)) }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
