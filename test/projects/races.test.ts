import { sql } from 'drizzle-orm'
import t from 'tap'
import { queryRows } from '../../src/db/client.ts'
import { build } from '../helpers/build.ts'
import { postgresOnly } from '../helpers/database.ts'
import { authAs, concurrently, failOnServerErrors, gatedProject, submitProject } from '../helpers/fixtures.ts'

// PGlite runs one transaction at a time, so these races only mean something on PostgreSQL.

t.test('30 concurrent PATCHes with one ETag: exactly one 200, 29 × 412, one new baseline', { ...postgresOnly }, async (t) => {
  const { app } = await build(t, { poolSize: 12, routes: failOnServerErrors(t) })
  const headers = { ...await authAs('submitter', '1084'), 'if-match': '"1"' }
  const project = await submitProject(app)

  const responses = await concurrently(30, (i) => app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers, payload: { title: `Version fra klient ${i}` } }))
  const statuses = responses.map((r) => r.statusCode)
  t.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses))
  t.equal(statuses.filter((s) => s === 412).length, 29)

  const winner = responses.find((r) => r.statusCode === 200)!.json()
  const [row] = await queryRows<{ version: number, title: string, baselines: number, revised: number }>(app.db, sql`
    select p.version, p.title,
      (select count(*)::int from project_baselines b where b.project_id = p.id) as baselines,
      (select count(*)::int from audit_events e where e.project_id = p.id and e.type = 'itraad.project.revised') as revised
    from projects p where p.id = ${project.id}`)
  t.same(row, { version: 2, title: winner.title, baselines: 2, revised: 1 })
})

t.test('20 concurrent submissions with one Idempotency-Key: one project, twenty 201s with its id', { ...postgresOnly }, async (t) => {
  const { app } = await build(t, { poolSize: 12, routes: failOnServerErrors(t) })
  const headers = { ...await authAs('submitter', '1084'), 'idempotency-key': 'batch-import-42' }

  const responses = await concurrently(20, () => app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject() }))
  t.same(responses.map((r) => r.statusCode), Array(20).fill(201))
  const ids = new Set(responses.map((r) => r.json().id))
  t.equal(ids.size, 1)
  t.equal(responses.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 19)
  for (const r of responses) t.equal(r.headers.location, `/v1/projects/${[...ids][0]}`)

  const [row] = await queryRows<{ projects: number, events: number }>(app.db, sql`
    select (select count(*)::int from projects) as projects,
      (select count(*)::int from audit_events where type = 'itraad.project.submitted') as events`)
  t.same(row, { projects: 1, events: 1 })
})

t.test('concurrent submissions get distinct, gap-free references', { ...postgresOnly }, async (t) => {
  const { app } = await build(t, { poolSize: 12, routes: failOnServerErrors(t) })
  const headers = await authAs('submitter', '1084')
  const responses = await concurrently(25, (i) => app.inject({ method: 'POST', url: '/v1/projects', headers, payload: gatedProject({ title: `Projekt ${i}` }) }))
  t.same(responses.map((r) => r.statusCode), Array(25).fill(201))
  const numbers = responses.map((r) => Number((r.json().reference as string).split('-')[2])).sort((a, b) => a - b)
  t.same(numbers, Array.from({ length: 25 }, (_, i) => i + 1))
})

t.test('a PATCH racing a withdrawal: one of them wins, the other sees the outcome', { ...postgresOnly }, async (t) => {
  const { app } = await build(t, { poolSize: 12, routes: failOnServerErrors(t) })
  const owner = await authAs('submitter', '1084')
  for (let round = 0; round < 5; round++) {
    const project = await submitProject(app)
    const [revised, withdrawn] = await Promise.all([
      app.inject({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...owner, 'if-match': '"1"' }, payload: { phase: 'delivery' } }),
      app.inject({ method: 'POST', url: `/v1/projects/${project.id}/withdraw`, headers: owner })
    ])
    t.equal(withdrawn!.statusCode, 200)
    t.ok([200, 409].includes(revised!.statusCode), `PATCH answered ${revised!.statusCode}`)
    const final = (await app.inject({ method: 'GET', url: `/v1/projects/${project.id}`, headers: owner })).json()
    t.match(final, { status: 'withdrawn', version: revised!.statusCode === 200 ? 2 : 1 })
  }
})
