// Migrations 0003 (councils, policies, organisations), 0004 (the member directory) and 0005 (decided
// declarations of disqualification) on a database that holds v1 data, as the contract's "Migration
// of existing data" says: every project belongs to Regionernes It-råd and is a project; an owner
// that is no known organisation is registered as kind other, inactive; every assigned sub gets a
// directory entry; a v1 declaration stands as disqualified, decided by `system`.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import t from 'tap'
import { MIGRATIONS_DIR } from '../../src/paths.ts'
import { TEST_DATABASE_URL } from '../helpers/database.ts'
import { withDatabase } from '../helpers/template.ts'

/** The migrations folder as it was before `tag`: the files, and a journal that ends before it. */
async function migrationsBefore (tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'council-gate-migrations-'))
  await cp(MIGRATIONS_DIR, dir, { recursive: true })
  const journalFile = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
  const at = journal.entries.findIndex((entry) => entry.tag === tag)
  if (at < 0) throw new Error(`no migration ${tag}`)
  journal.entries = journal.entries.slice(0, at)
  await writeFile(journalFile, JSON.stringify(journal))
  return dir
}

interface Sql { query: (text: string) => Promise<Array<Record<string, unknown>>>, migrate: (folder: string) => Promise<void>, close: () => Promise<void> }

/** An empty database of the kind the suite runs on (PGlite, or a new PostgreSQL database). */
async function emptyDatabase (): Promise<Sql> {
  if (TEST_DATABASE_URL === undefined) {
    const client = new PGlite()
    return {
      query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
      migrate: (folder) => migratePglite(drizzlePglite(client), { migrationsFolder: folder }),
      close: () => client.close()
    }
  }
  const name = `council_gate_m_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`create database "${name}" template template0`)
  const client = new pg.Client({ connectionString: withDatabase(TEST_DATABASE_URL, name) })
  await client.connect()
  return {
    query: async (text) => (await client.query(text)).rows,
    migrate: (folder) => migratePg(drizzlePg(client), { migrationsFolder: folder }),
    close: async () => {
      await client.end()
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  }
}

function v1Project (id: string, reference: string, owner: string): string {
  return `insert into projects (id, reference, owner_org, status, title, description, participating_regions, phase, budget_lines,
    planned_start, planned_end, contact, review_requested, eligible_cost_dkk, total_cost_dkk, review_required, gating, submitted_on, version)
    values ('${id}', '${reference}', '${owner}', 'awaiting_assessment', 'Projekt ${reference}', 'Beskrivelse', '{1081,1082,1083,1084,1085}', 'analysis',
    '[{"category":"supplier","year":2027,"amountDkk":12000000}]', '2027-01-01', '2028-01-01', '{"name":"A","email":"a@example.dk"}', false,
    12000000, 12000000, true, '{"reviewRequired":true,"policy":"regions-2019","policyVersion":1,"reasons":[],"evaluatedAt":"2026-06-01T10:00:00.000Z"}',
    '2026-06-01', 1)`
}

t.test('v1 data through the v1.1 migrations (0003 onwards)', async (t) => {
  const db = await emptyDatabase()
  t.teardown(() => db.close())
  await db.migrate(await migrationsBefore('0003_councils'))
  await db.query(v1Project('00000000-0000-4000-8000-000000000001', 'ITR-2026-0001', '1084'))
  await db.query(v1Project('00000000-0000-4000-8000-000000000002', 'ITR-2026-0002', 'KL'))
  await db.query(v1Project('00000000-0000-4000-8000-000000000003', 'ITR-2026-0003', 'KL'))
  // Anne was assigned twice, the later time for another organisation.
  await db.query(`insert into assignments (id, project_id, member_sub, member_org, assigned_by, assigned_at) values
    ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'anne', '1083', 'sek', '2026-06-01T10:00:00Z'),
    ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000002', 'anne', '1081', 'sek', '2026-06-02T10:00:00Z'),
    ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-000000000002', 'bent', 'ESDH', 'sek', '2026-06-02T11:00:00Z')`)
  // A v1 declaration disqualified Anne at once on the first project (her assignment ended); Bent had assessed the second.
  await db.query('update assignments set ended_at = \'2026-06-03T09:00:00Z\', ended_reason = \'disqualified\' where id = \'00000000-0000-4000-8000-0000000000a1\'')
  await db.query(`insert into conflicts (id, project_id, member_sub, member_org, ground, statement, declared_at) values
    ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-000000000001', 'anne', '1083', 'forvaltningsloven § 3', 'Rådgav leverandøren.', '2026-06-03T09:00:00Z')`)
  await db.query(`insert into assessments (id, project_id, baseline_version, member_sub, member_org, member_name, scores, proposed_profile, summary, recommendations) values
    ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-000000000002', 1, 'bent', '1082', null,
     '{"business":1,"governance":1,"planning":1,"technology":1,"supplier":1,"economy":1,"security":1}', 'D', 'Fint.', '[]')`)

  // Project 2 had its letter on 2026-06-30 at 23:30 UTC: 1 July in Copenhagen.
  await db.query(`insert into project_baselines (project_id, version, content, gating, created_by) values
    ('00000000-0000-4000-8000-000000000002', 1, '{"plannedEnd":"2028-01-01"}', '{"eligibleCostDkk":12000000,"totalCostDkk":12500000}', 'x')`)
  await db.query(`insert into letters (id, project_id, baseline_version, statement, risk_profile, recommendations, external_review_recommended, issued_by, issued_at) values
    ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-000000000002', 1, 'Brev.', 'B', '[]', false, 'sek', '2026-06-30T23:30:00Z')`)
  // A v1 status report: lights only, its overall the project's own.
  await db.query(`insert into status_reports (id, project_id, period, cost, schedule, financial_benefits, non_financial_benefits, overall, comment, reported_by, created_at) values
    ('00000000-0000-4000-8000-0000000000f1', '00000000-0000-4000-8000-000000000002', '2026-H2', 'red', 'green', 'yellow', null, 'red', 'Forsinket.', 'pk', '2026-07-02T10:00:00Z')`)

  await db.migrate(MIGRATIONS_DIR)

  t.same(await db.query('select reference, council, kind from projects order by reference'), [
    { reference: 'ITR-2026-0001', council: 'regions', kind: 'project' },
    { reference: 'ITR-2026-0002', council: 'regions', kind: 'project' },
    { reference: 'ITR-2026-0003', council: 'regions', kind: 'project' }
  ], 'every project belongs to Regionernes It-råd and is a project')
  t.same(await db.query("select code, name, kind, council, active from organisations where kind = 'other'"), [
    { code: 'KL', name: 'KL', kind: 'other', council: 'regions', active: false }
  ], 'an unknown owner, once, inactive')
  t.same((await db.query("select code from organisations where kind <> 'other' order by code")).map((row) => row.code),
    ['1081', '1082', '1083', '1084', '1085', 'ITR', 'SIR'])
  t.same((await db.query('select id from policies order by id')).map((row) => row.id), ['regions-2019', 'state-2011', 'state-2021'])
  t.same(await db.query('select sub, name, email, org, council, active from members order by sub'), [
    { sub: 'anne', name: 'anne', email: null, org: '1081', council: 'regions', active: true },
    { sub: 'bent', name: 'bent', email: null, org: 'ESDH', council: 'regions', active: true }
  ], 'a directory entry per assigned sub, with the latest assignment\'s organisation')
  t.same(await db.query('select member_name, member_org_name from assignments order by id'), [
    { member_name: 'anne', member_org_name: 'Region Syddanmark' },
    { member_name: 'anne', member_org_name: 'Region Nordjylland' },
    { member_name: 'bent', member_org_name: 'ESDH' }
  ], 'the assignments name them')
  t.same(await db.query('select member_name, member_org_name, decision, decided_by, decided_at = declared_at as same_time, reason from conflicts'), [
    { member_name: 'anne', member_org_name: 'Region Syddanmark', decision: 'disqualified', decided_by: 'system', same_time: true, reason: null }
  ], 'a v1 declaration stands as disqualified, decided by system when it was declared')
  t.same(await db.query('select member_org_name from assessments'), [{ member_org_name: 'Region Midtjylland' }], 'assessments name the organisation')
  t.same(await db.query('select reference, approved_baseline, expected_benefits from projects order by reference'), [
    { reference: 'ITR-2026-0001', approved_baseline: null, expected_benefits: null },
    {
      reference: 'ITR-2026-0002',
      approved_baseline: { version: 1, approvedOn: '2026-07-01', eligibleCostDkk: 12000000, totalCostDkk: 12500000, plannedEnd: '2028-01-01', expectedFinancialBenefitsDkk: null },
      expected_benefits: null
    },
    { reference: 'ITR-2026-0003', approved_baseline: null, expected_benefits: null }
  ], 'a project with a letter: the letter\'s baseline, approved on the letter\'s Copenhagen date')
  t.same(await db.query(`select period, council, project_reference, own_overall, overall, forecast_cost_dkk, forecast_end_date, deviation, indicated_lights,
    baseline_version, version, judged_at, updated_at = created_at as unchanged from status_reports`), [{
    period: '2026-H2',
    council: 'regions',
    project_reference: 'ITR-2026-0002',
    own_overall: 'red',
    overall: null,
    forecast_cost_dkk: null,
    forecast_end_date: null,
    deviation: null,
    indicated_lights: null,
    baseline_version: null,
    version: 1,
    judged_at: null,
    unchanged: true
  }], 'a v1 report: its overall is the project\'s own, no judgement, no figures or deviation; it carries its project\'s council and reference')
  const defaults = await db.query("select column_name from information_schema.columns where table_name = 'projects' and column_name in ('council', 'kind') and column_default is not null")
  t.same(defaults, [], 'the columns keep no default: a new project names its council and kind')
})
