import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { Caller } from '../../src/auth/caller.ts'
import { buildApp } from '../../src/app.ts'
import { openPostgres, queryRows } from '../../src/db/client.ts'
import { encodeCursor } from '../../src/modules/pagination.ts'
import { projectFilters } from '../../src/modules/projects/list-projects.ts'
import { ProjectRepository } from '../../src/repositories/projects.ts'
import { ListProjectsQuerySchema } from '../../src/schemas/project.ts'
import { build } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { register } from '../review/helpers.ts'
import { authAs, failOnServerErrors, gatedProject, registerStateAuthority, submitProject, ungatedProject } from '../helpers/fixtures.ts'

// Eight fresh databases: on a busy machine this file needs far more than the suite's per-file
// default (.taprc). Counted from here.
t.setTimeout(600_000)

interface Listed { id: string, title: string, status: string, participatingRegions: string[] }

async function list (app: FastifyInstance, headers: Record<string, string>, query = '') {
  const res = await app.inject({ method: 'GET', url: `/v1/projects${query}`, headers })
  if (res.statusCode !== 200) throw new Error(`GET /v1/projects${query}: ${res.statusCode} ${res.body}`)
  return res.json() as { items: Listed[], nextCursor: string | null }
}

/** Every page of a list, following nextCursor. */
async function allPages (app: FastifyInstance, headers: Record<string, string>, query: string) {
  const pages: Listed[][] = []
  let cursor: string | null = null
  do {
    const page: { items: Listed[], nextCursor: string | null } = await list(app, headers, `${query}${cursor === null ? '' : `&cursor=${cursor}`}`)
    pages.push(page.items)
    cursor = page.nextCursor
  } while (cursor !== null && pages.length < 100)
  return pages
}

t.test('GET /v1/projects/{id}: 200 with ETag for every role that may see it; 404 otherwise', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const project = await submitProject(app, '1084', gatedProject({ participatingRegions: ['1084', '1085'] }))
  const url = `/v1/projects/${project.id}`

  await register(app, { sub: 'council_member-1081', org: '1081' })
  const seeing = [
    ['submitter', '1084'], ['submitter', '1085'],
    ['council_member', '1081'], ['secretariat', 'ITR'], ['integration', 'ESDH'], ['admin', 'ITR']
  ] as const
  for (const [role, org] of seeing) {
    const res = await app.inject({ method: 'GET', url, headers: await authAs(role, org) })
    t.equal(res.statusCode, 200, `${role} ${org}`)
    t.equal(res.headers.etag, '"1"')
    t.same(res.json(), project)
  }

  // another region, another organisation: as if it did not exist
  for (const org of ['1081', 'KL']) {
    const res = await app.inject({ method: 'GET', url, headers: await authAs('submitter', org) })
    t.equal(res.statusCode, 404, org)
    t.match(res.json(), { code: 'NOT_FOUND', detail: 'project not found' })
    const history = await app.inject({ method: 'GET', url: `${url}/history`, headers: await authAs('submitter', org) })
    t.equal(history.statusCode, 404, `history for ${org}`)
  }

  let res = await app.inject({ method: 'GET', url: `/v1/projects/${randomUUID()}`, headers: await authAs('admin', 'ITR') })
  t.equal(res.statusCode, 404)
  res = await app.inject({ method: 'GET', url: `/v1/projects/${randomUUID()}/history`, headers: await authAs('admin', 'ITR') })
  t.equal(res.statusCode, 404)
  res = await app.inject({ method: 'GET', url: '/v1/projects/123', headers: await authAs('admin', 'ITR') })
  t.equal(res.statusCode, 400)
  res = await app.inject({ method: 'GET', url })
  t.equal(res.statusCode, 401)
  res = await app.inject({ method: 'GET', url: '/v1/projects' })
  t.equal(res.statusCode, 401)
  res = await app.inject({ method: 'GET', url, headers: await authAs([], '1084') })
  t.equal(res.statusCode, 403)
})

t.test('the letter comes from the letters table: the latest one, or null', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('secretariat', 'ITR')
  const project = await submitProject(app)
  const insertLetter = (version: number, profile: string, issuedAt: string) => app.db.execute(sql`
    insert into letters (id, project_id, baseline_version, statement, risk_profile, recommendations, external_review_recommended, issued_by, issued_at)
    values (${randomUUID()}, ${project.id}, ${version}, 'Udtalelse', ${profile}, '[]', false, 'secretariat', ${issuedAt})`)
  await insertLetter(1, 'C', '2026-11-20 09:00:00+00')
  await insertLetter(2, 'A', '2026-12-01 10:30:00.5+01')

  const one = (await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers })).json()
  t.same(one.letter, { riskProfile: 'A', issuedAt: '2026-12-01T09:30:00.500Z' })
  const listed = (await list(app, headers)).items as unknown as Array<{ id: string, letter: unknown }>
  t.same(listed.find((p) => p.id === project.id)!.letter, one.letter)
})

t.test('scoping in lists: own org and participating region, never others', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const hovedstaden = await submitProject(app, '1084', gatedProject({ title: 'H', participatingRegions: ['1084', '1085'] }))
  const nordjylland = await submitProject(app, '1081', gatedProject({ title: 'N', participatingRegions: ['1081'] }))
  const state = await registerStateAuthority(app)
  const kl = await submitProject(app, state, gatedProject({ title: 'K', participatingRegions: ['1082'] }))
  const ids = async (role: 'submitter' | 'council_member', org: string, query = '') =>
    (await list(app, await authAs(role, org), query)).items.map((p) => p.id).sort()

  t.same(await ids('submitter', '1084'), [hovedstaden.id].sort())
  t.same(await ids('submitter', '1085'), [hovedstaden.id].sort(), 'participating region sees it')
  t.same(await ids('submitter', '1081'), [nordjylland.id])
  t.same(await ids('submitter', '1082'), [kl.id], 'participating region sees another org\'s project')
  t.same(await ids('submitter', state), [kl.id])
  t.same(await ids('submitter', '1083'), [])
  // A council member sees their own council's projects: that of their directory entry (none without one).
  await register(app, { sub: 'council_member-1083', org: '1083' })
  await register(app, { sub: 'council_member-1082', org: '1082' }, 'state')
  t.same(await ids('council_member', '1083'), [hovedstaden.id, nordjylland.id].sort())
  t.same(await ids('council_member', '1082'), [kl.id], 'a member of Statens It-råd')
  t.same(await ids('council_member', '1085'), [], 'a member outside the directory')
  // a filter never widens what a submitter sees
  t.same(await ids('submitter', '1083', '?region=1084'), [])
  t.same(await ids('submitter', '1081', '?region=1085'), [])
})

t.test('filters: status, region, reviewRequired, q (wildcards literal), overdue', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('admin', 'ITR')
  const gated = await submitProject(app, '1084', gatedProject({ title: 'Booking 100% fælles' }))
  const small = await submitProject(app, '1084', ungatedProject({ title: 'Lille_projekt' }))
  const voluntary = await submitProject(app, '1081', ungatedProject({ title: 'Frivillig booking', participatingRegions: ['1081'], reviewRequested: true }))
  const late = await submitProject(app, '1082', gatedProject({ title: 'Sen sag' }))
  const lateButLettered = await submitProject(app, '1082', gatedProject({ title: 'Brev udsendt' }))
  await app.db.execute(sql`update projects set assessment_due_on = '2020-01-02' where id in (${late.id}, ${lateButLettered.id})`)
  await app.db.execute(sql`update projects set status = 'letter_issued' where id = ${lateButLettered.id}`)
  const ids = async (query: string) => (await list(app, headers, query)).items.map((p) => p.id).sort()

  t.same(await ids('?status=not_required'), [small.id])
  t.same(await ids('?status=letter_issued'), [lateButLettered.id])
  t.same(await ids('?region=1085'), [gated.id, late.id, lateButLettered.id].sort())
  t.same(await ids('?region=1081'), [gated.id, small.id, voluntary.id, late.id, lateButLettered.id].sort())
  t.same(await ids('?reviewRequired=false'), [small.id])
  t.same(await ids('?reviewRequired=true&region=1081&status=awaiting_assessment'), [gated.id, voluntary.id, late.id].sort())
  t.same(await ids('?q=BOOKING'), [gated.id, voluntary.id].sort(), 'case-insensitive')
  t.same(await ids(`?q=${encodeURIComponent('100%')}`), [gated.id], '% is literal')
  t.same(await ids('?q=e_p'), [small.id], '_ is literal')
  t.same(await ids('?q=e%25'), [], '% does not match anything')
  t.same(await ids(`?q=${encodeURIComponent('\\')}`), [])
  t.same(await ids('?q='), [gated.id, small.id, voluntary.id, late.id, lateButLettered.id].sort(), 'empty q filters nothing')
  t.same(await ids('?overdue=true'), [late.id], 'a letter ends the overdue')
  t.same(await ids('?overdue=false'), [gated.id, small.id, voluntary.id, lateButLettered.id].sort())
})

t.test('400 for bad query parameters', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('admin', 'ITR')
  const bad: Array<[string, string]> = [
    ['limit=0', '/limit'], ['limit=201', '/limit'], ['limit=abc', '/limit'], ['limit=1.5', '/limit'],
    ['status=archived', '/status'], ['region=1086', '/region'], ['region=1084&region=1085', '/region'],
    ['reviewRequired=yes', '/reviewRequired'], ['overdue=1', '/overdue'],
    [`q=${'x'.repeat(201)}`, '/q'], ['q=%00', '/q'],
    ['cursor=', '/cursor'], ['cursor=not-a-cursor', '/cursor'], [`cursor=${'A'.repeat(513)}`, '/cursor'],
    [`cursor=${encodeCursor({ createdAt: '2026-02-30T10:00:00.000000Z', id: randomUUID() })}`, '/cursor'],
    [`cursor=${encodeCursor({ createdAt: '2026-11-22T10:00:00.000000Z', id: 'x' })}`, '/cursor'],
    [`cursor=${Buffer.from('[1,2]').toString('base64url')}`, '/cursor'],
    ['page=2', '/']
  ]
  for (const [query, path] of bad) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects?${query}`, headers })
    t.equal(res.statusCode, 400, query)
    t.equal(res.json().code, 'VALIDATION_FAILED', query)
    t.ok(res.json().errors?.some((e: { path: string }) => e.path === path), `${query}: ${JSON.stringify(res.json().errors)}`)
  }
  for (const query of ['limit=1', 'limit=200', 'reviewRequired=false&overdue=false', `q=${'x'.repeat(200)}`]) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects?${query}`, headers })
    t.equal(res.statusCode, 200, query)
  }
})

t.test('pagination: newest first, no duplicates or gaps, across equal timestamps', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const headers = await authAs('admin', 'ITR')
  const created: string[] = []
  for (let i = 0; i < 7; i++) created.push((await submitProject(app, '1084', gatedProject({ title: `Projekt ${i}` }))).id)

  // 1. default limit: one page, newest first
  const all = await list(app, headers)
  t.same(all.items.map((p) => p.id), [...created].reverse())
  t.equal(all.nextCursor, null)

  // 2. pages of 3: 3 + 3 + 1, together exactly the whole list in the same order
  const pages = await allPages(app, headers, '?limit=3')
  t.same(pages.map((p) => p.length), [3, 3, 1])
  t.same(pages.flat().map((p) => p.id), [...created].reverse())

  // 3. a page size that divides the list: the last full page says there is no more
  const exact = await list(app, headers, '?limit=7')
  t.equal(exact.nextCursor, null)
  t.equal(exact.items.length, 7)

  // 4. equal created_at (a burst within one microsecond): ordered by id, still no duplicates or gaps
  await app.db.execute(sql`update projects set created_at = '2026-11-22 10:00:00.123456+00'`)
  const tied = (await allPages(app, headers, '?limit=2')).flat().map((p) => p.id)
  t.same(tied, [...created].sort().reverse())

  // 5. filters and cursors combine; a project submitted meanwhile does not shift later pages
  const first = await list(app, headers, '?limit=4&q=projekt')
  await submitProject(app, '1084', gatedProject({ title: 'Projekt ny' }))
  const rest = await list(app, headers, `?limit=4&q=projekt&cursor=${first.nextCursor}`)
  t.same([...first.items, ...rest.items].map((p) => p.id), tied)
})

t.test('history: every event of the project, oldest first, for whoever may see it', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')
  const project = await submitProject(app, '1084', gatedProject({ participatingRegions: ['1084', '1085'] }))
  await submitProject(app, '1084') // another project's events stay out
  await app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...owner, 'if-match': '"1"' }, payload: { phase: 'purchasing' } })
  await app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: owner })

  for (const headers of [owner, await authAs('submitter', '1085'), await authAs('integration', 'ESDH')]) {
    const res = await app.inject({ method: 'GET', url: `/v1/projects/${project.id}/history`, headers })
    t.equal(res.statusCode, 200)
    const items = res.json().items
    t.same(items.map((e: { type: string }) => e.type), ['itraad.project.submitted', 'itraad.project.revised', 'itraad.project.withdrawn'])
    for (const event of items) {
      t.match(event, { specversion: '1.0', subject: `projects/${project.id}`, data: { reference: project.reference, description: /^Projekt ITR-\d{4}-\d{4,} "/ } })
      t.notMatch(event.data.description, /\n/)
    }
  }
})

t.test('the first page of the unfiltered list reads the index, not a sort over a scan', { ...postgresOnly }, async (t) => {
  const { app, database } = await build(t)
  await submitProject(app)
  // Enough rows that a sort over a sequential scan would be the wrong plan, then fresh statistics.
  await app.db.execute(sql`
    insert into projects (id, reference, owner_org, council, kind, status, title, description, participating_regions, phase, budget_lines,
      planned_start, planned_end, contact, review_requested, eligible_cost_dkk, total_cost_dkk, review_required, gating,
      submitted_on, version, created_at, updated_at)
    select gen_random_uuid(), 'ITR-2025-' || (100000 + n), case when n % 5 = 0 then '1081' else '1084' end, 'regions', 'project', 'not_required', 'Projekt ' || n,
      description, participating_regions, phase, budget_lines, planned_start, planned_end, contact, review_requested,
      eligible_cost_dkk, total_cost_dkk, false, gating, submitted_on, 1,
      now() - n * interval '1 minute', now() - n * interval '1 minute'
    from projects, generate_series(1, 20000) n`)
  await app.db.execute(sql`analyze projects`)

  const admin: Caller = { sub: 'a', name: null, org: 'ITR', roles: ['admin'], kind: 'user' }
  const explain = async (caller: Caller, query: Record<string, string>) => {
    const rows = await queryRows<{ 'QUERY PLAN': string }>(database.db,
      sql`explain ${new ProjectRepository(database.db, caller).page(projectFilters(ListProjectsQuerySchema.parse(query)))}`)
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  }
  const firstPage = await explain(admin, {})
  t.match(firstPage, /Index Scan using projects_created_idx/, firstPage)
  t.notMatch(firstPage, /Seq Scan|Sort/, 'no sort over a scan')

  // the next page's row comparison is an index condition as well
  const [row] = await queryRows<{ created_at: string, id: string }>(database.db, sql`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, id::text from projects order by created_at desc, id desc offset 50 limit 1`)
  const nextPage = await explain(admin, { cursor: encodeCursor({ createdAt: row!.created_at, id: row!.id }) })
  t.match(nextPage, /Index Cond: \(ROW\(created_at, id\) < ROW\(/, nextPage)
  t.notMatch(nextPage, /Seq Scan|Sort/)
})

t.test('DB_PREPARED_STATEMENTS=off: the hot reads answer the same with no named statement on the server', { ...postgresOnly }, async (t) => {
  const { app, databaseUrl, config } = await build(t)
  const project = await submitProject(app)
  // One connection: the statements the lookup used are the ones pg_prepared_statements then shows.
  const unnamed = openPostgres(databaseUrl!, 1, { preparedStatements: false })
  t.teardown(() => unnamed.close())
  const headers = await authAs('submitter', '1084')
  const other = await buildApp({ config, database: unnamed, logger: false })
  t.teardown(() => other.close())
  const res = await other.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers })
  t.equal(res.statusCode, 200)
  t.equal(res.json().id, project.id)
  const [row] = await queryRows<{ n: number }>(unnamed.db, sql`select count(*)::int as n from pg_prepared_statements`)
  t.equal(row!.n, 0, 'no named statement on a connection of the pool')
})
