/**
 * The floor: a minimal Fastify + pg server that sends PostgreSQL exactly the statements the
 * service sends for the requests the bench loads (see `npx tsx bench/trace-sql.ts` and
 * `--floor`), with the same parameters and the same transaction boundaries, and nothing else:
 * no authentication, no validation, no audit canonicalisation, no per-request logging, no
 * background workers. What the service costs above this is what it adds to PostgreSQL.
 *
 *   DATABASE_URL=postgres://… PORT=3901 node --import tsx bench/floor-server.ts
 *
 * Kept in step with src/modules/projects/{submit-project,list-projects,get-project}.ts and
 * src/db/unit-of-work.ts: when their SQL changes, change it here too.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'

const EXCLUDED = new Set(['operations', 'interest'])
const REGIONS = ['1081', '1082', '1083', '1084', '1085']
const THRESHOLD = 10_000_000

// The submitter the bench loads with; the floor has no tokens.
const CALLER = { sub: 'bench-submitter-1084', org: '1084' }

const PROJECT_COLUMNS = '"id", "reference", "owner_org", "status", "title", "description", "participating_regions", ' +
  '"phase", "budget_lines", "planned_start", "planned_end", "contact", "review_requested", "eligible_cost_dkk", ' +
  '"total_cost_dkk", "review_required", "gating", "submitted_on", "assessment_due_on", "version", "created_at", "updated_at"'

// The service prepares its submission's statement by name (src/db/statements.ts); so does the floor.
// It draws the reference itself and writes it into the event body in place of a stand-in.
const INSERT_SUBMISSION = {
  name: 'insert_submission',
  text: "with drawn as (select nextval('project_reference_seq')::text as n), " +
    "ref as (select 'ITR-' || $1::text || '-' || lpad(n, greatest(4, length(n)), '0') as reference from drawn), " +
    `project as (insert into "projects" (${PROJECT_COLUMNS}) values ($2, (select reference from ref), $3, $4, $5, $6, $7, $8, $9, $10, ` +
    '$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)), ' +
    'baseline as (insert into "project_baselines" ("project_id", "version", "content", "gating", "created_by", "created_at") values ($23, $24, $25, $26, $27, $28)), ' +
    'events as ( insert into audit_events (id, project_id, type, body) select e.id, e.project_id, e.type, replace(e.body, $29, (select reference from ref)) ' +
    'from unnest($30::uuid[], $31::uuid[], $32::text[], $33::text[]) as e (id, project_id, type, body) returning pos ), ' +
    'queued as (insert into audit_unsealed (pos) select pos from events) select (select reference from ref) as value'
}
const VISIBLE = '("projects"."owner_org" = $1 or "projects"."participating_regions" @> $2)'
// The service prepares its reads once per connection (named statements); so does the floor.
const LIST = {
  name: 'project_page_org_orgs',
  text: `select ${PROJECT_COLUMNS}, to_char("created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ` +
    `from "projects" where ${VISIBLE} order by "projects"."created_at" desc nulls last, "projects"."id" desc nulls last limit $3`
}
const GET = {
  name: 'find_visible_project',
  text: `select ${PROJECT_COLUMNS} from "projects" where ("projects"."id" = $1 and ` +
    '("projects"."owner_org" = $2 or "projects"."participating_regions" @> $3)) limit $4'
}
const LETTERS = {
  name: 'latest_letters',
  text: 'select distinct on ("letters"."project_id") "project_id", "risk_profile", "issued_at" from "letters" ' +
    'where "letters"."project_id" = any($1::uuid[]) order by "letters"."project_id", "letters"."issued_at" desc'
}

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

// Like drizzle's pg driver: dates and timestamps as the strings PostgreSQL sends.
const RAW = (value: string) => value
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 1082 || oid === 1114 || oid === 1184 ? RAW : pg.types.getTypeParser(oid, format)
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
    const eligible = s.budgetLines.reduce((sum, l) => EXCLUDED.has(l.category) ? sum : sum + l.amountDkk, 0)
    const total = s.budgetLines.reduce((sum, l) => sum + l.amountDkk, 0)
    const allRegions = REGIONS.every((r) => s.participatingRegions.includes(r))
    const reviewRequired = (eligible >= THRESHOLD && allRegions) || s.reviewRequested === true
    const gating = {
      reviewRequired,
      policy: 'regions-2019',
      policyVersion: 1,
      reasons: [`eligible cost ${eligible} DKK is ${eligible >= THRESHOLD ? 'at or above' : 'below'} ${THRESHOLD} DKK`, allRegions ? 'all five regions participate' : 'only 4 of 5 required regions participate (missing 1085)'],
      evaluatedAt: iso,
      eligibleCostDkk: eligible,
      totalCostDkk: total
    }
    const content = { ...s, reviewRequested: s.reviewRequested ?? false }
    const submittedOn = iso.slice(0, 10)
    const due = new Date(now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10)
    const id = randomUUID()

    // The stand-in for the reference that the statement draws (the service's is random too).
    const reference = `\uE000${randomUUID()}\uE000`
    const status = reviewRequired ? 'awaiting_assessment' : 'not_required'
    const row: Row = {
      id,
      reference,
      owner_org: CALLER.org,
      status,
      title: s.title,
      description: s.description,
      participating_regions: s.participatingRegions,
      phase: s.phase,
      budget_lines: s.budgetLines,
      planned_start: s.plannedStart,
      planned_end: s.plannedEnd,
      contact: s.contact,
      review_requested: content.reviewRequested,
      eligible_cost_dkk: eligible,
      total_cost_dkk: total,
      gating,
      assessment_due_on: reviewRequired ? due : null,
      version: 1,
      created_at: iso,
      updated_at: iso
    }
    const eventId = randomUUID()
    const body = JSON.stringify({
      actororg: CALLER.org,
      authid: CALLER.sub,
      authtype: 'user',
      data: {
        assessmentDueOn: row.assessment_due_on,
        description: `Projekt ${reference} "${s.title}" indsendt af ${CALLER.org}; rådsbehandling påkrævet.`,
        eligibleCostDkk: eligible,
        gating,
        ownerOrg: CALLER.org,
        reference,
        status: row.status,
        totalCostDkk: total,
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
    const gatingJson = JSON.stringify(gating)
    const { rows } = await pool.query<{ value: string }>({
      ...INSERT_SUBMISSION,
      values: [
        iso.slice(0, 4), id, CALLER.org, status, s.title, s.description,
        s.participatingRegions, s.phase, JSON.stringify(s.budgetLines), s.plannedStart, s.plannedEnd,
        JSON.stringify(s.contact), content.reviewRequested, eligible, total, reviewRequired, gatingJson,
        submittedOn, reviewRequired ? due : null, 1, iso, iso,
        id, 1, JSON.stringify(content), gatingJson, CALLER.sub, iso,
        reference, [eventId], [id], ['itraad.project.submitted'], [body]
      ]
    })
    row.reference = rows[0]!.value
    reply.header('location', `/v1/projects/${id}`).header('etag', '"1"').code(201)
    return resource(row, undefined)
  })

  app.get('/v1/projects', async (request) => {
    const limit = Number((request.query as { limit?: string }).limit ?? 50)
    const { rows } = await pool.query({ ...LIST, values: [CALLER.org, [CALLER.org], limit + 1] })
    const page = rows.slice(0, limit)
    const letterRows = page.length === 0 ? [] : (await pool.query({ ...LETTERS, values: [page.map((r: Row) => r.id)] })).rows
    const byProject = new Map(letterRows.map((l: Row) => [l.project_id, l]))
    const last = page[page.length - 1] as Row | undefined
    return {
      items: page.map((r: Row) => resource(r, byProject.get(r.id))),
      nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify({ createdAt: last.to_char, id: last.id })).toString('base64url') : null
    }
  })

  app.get('/v1/projects/:id', async (request, reply) => {
    const { id } = request.params as { id: string }
    const { rows } = await pool.query({ ...GET, values: [id, CALLER.org, [CALLER.org], 1] })
    const row = rows[0] as Row | undefined
    if (!row) return reply.code(404).send({ status: 404 })
    const letterRows = (await pool.query({ ...LETTERS, values: [[id]] })).rows
    reply.header('etag', `"${String(row.version)}"`)
    return resource(row, letterRows[0])
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
