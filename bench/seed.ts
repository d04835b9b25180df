/**
 * A fast seeder: N projects with their baselines and their `itraad.project.submitted` audit
 * events, already sealed into the hash chain, so that lists, filters and GET /v1/audit/verify
 * have something real to work on.
 *
 *   npx tsx bench/seed.ts postgres://postgres@127.0.0.1:5432/some_db 1000000
 *
 * The database must be migrated. Projects and baselines are generated in SQL (one
 * INSERT … SELECT FROM generate_series per batch); the events are built in Node exactly as the
 * service builds them (RFC 8785 canonical CloudEvents) and inserted with unnest(), and their chain
 * links are computed with the service's own `chainHash`, so verification recomputes real hashes.
 * Audit tables only refuse UPDATE/DELETE, so appending is allowed. Seeded rows are older than
 * anything the service writes afterwards; the reference sequence is moved past them.
 */
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalJson } from '../src/canonical-json.ts'
import pg from 'pg'
import { EVENT_SOURCE } from '../src/db/unit-of-work.ts'
import { chainHash, GENESIS_HASH } from '../src/modules/audit/chain.ts'

export interface SeedOptions {
  /** Projects to add. */
  count: number
  /** Projects per statement. */
  batchSize?: number
  /** Progress lines. */
  log?: (line: string) => void
}

// Every project gets one of these owners: the five regions and two non-regional organisations.
const OWNERS = ['1081', '1082', '1083', '1084', '1085', 'digst', 'kl']
const TITLES = ['booking-platform', 'røntgenarkiv', 'patientportal', 'medicinmodul', 'vagtplanlægning',
  'telemedicin', 'laboratoriesystem', 'identitetsstyring', 'dataplatform', 'indkøbssystem']

/*
 * One statement per batch: the projects from generate_series (attributes derived from hashes of
 * the row number, so a reseed gives the same data), their baselines, and back to Node what the
 * events need. created_at is one second apart, oldest first, ending before `base` + count s.
 */
const SEED_BATCH = `
with s as (
  select g,
         -- md5 made into a well-formed version 4 UUID (the API validates ids as RFC 9562).
         overlay(overlay(md5('council-gate-bench-' || g) placing '4' from 13) placing '8' from 17)::uuid as id,
         $3::timestamptz + g * interval '1 second' as at,
         hashint4(g) & 2147483647 as h1, hashint4(g + 1000003) & 2147483647 as h2, hashint4(g + 2000003) & 2147483647 as h3,
         (array['${OWNERS.join("','")}'])[1 + (hashint4(g + 3000017) & 2147483647) % ${OWNERS.length}] as owner
  from generate_series($1::int, $2::int) g
), r as (
  select s.*,
         case when h2 % 3 = 0 then array['1081','1082','1083','1084','1085']
              else coalesce(nullif(array(select c from unnest(array['1081','1082','1083','1084','1085']) with ordinality u(c, i)
                                         where (h2 >> i::int) & 1 = 1 or c = owner order by i), '{}'), array['1081'])
         end as regions,
         (h1 % 12000) * 1000 as supplier, (h3 % 4000) * 1000 as internal, (h1 % 900) * 1000 as operations
  from s
), v as (
  select r.*, supplier + internal as eligible, supplier + internal + operations as total,
         (supplier + internal >= 10000000 and cardinality(regions) = 5) as review
  from r
), p as (
  insert into projects (id, reference, owner_org, council, kind, status, title, description, participating_regions, phase,
    budget_lines, planned_start, planned_end, contact, review_requested, eligible_cost_dkk, total_cost_dkk,
    review_required, gating, submitted_on, assessment_due_on, version, created_at, updated_at)
  select id,
         'ITR-' || to_char(at at time zone 'Europe/Copenhagen', 'YYYY') || '-' || lpad(g::text, greatest(4, length(g::text)), '0'),
         owner, 'regions', 'project',
         case when review then 'awaiting_assessment' else 'not_required' end,
         'Projekt ' || g || ': fælles ' || (array['${TITLES.join("','")}'])[1 + h3 % ${TITLES.length}],
         'Et fælles it-projekt nummer ' || g || ' om ' || (array['${TITLES.join("','")}'])[1 + h3 % ${TITLES.length}] ||
           '. Projektet omfatter udbud, integration til de regionale systemer, sikkerhedsgodkendelse, ' ||
           'uddannelse af personale og gradvis udrulning. Driftsomkostninger indgår ikke i det vurderede beløb.',
         regions,
         (array['idea','analysis','purchasing','delivery','realisation'])[1 + h2 % 5],
         jsonb_build_array(
           jsonb_build_object('category', 'supplier', 'year', 2027, 'amountDkk', supplier),
           jsonb_build_object('category', 'internal', 'year', 2027, 'amountDkk', internal),
           jsonb_build_object('category', 'operations', 'year', 2029, 'amountDkk', operations)),
         date '2027-01-01', date '2029-06-30',
         jsonb_build_object('name', 'Kontakt ' || g, 'email', 'kontakt' || g || '@example.dk'),
         false, eligible, total, review,
         jsonb_build_object('reviewRequired', review, 'policy', 'regions-2019', 'policyVersion', 1,
           'reasons', jsonb_build_array(
             'eligible cost ' || eligible || ' DKK is ' || case when eligible >= 10000000 then 'at or above' else 'below' end || ' 10000000 DKK',
             case when cardinality(regions) = 5 then 'all five regions participate'
                  else 'only ' || cardinality(regions) || ' of 5 required regions participate' end),
           'evaluatedAt', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'eligibleCostDkk', eligible, 'totalCostDkk', total),
         (at at time zone 'Europe/Copenhagen')::date,
         case when review then (at at time zone 'Europe/Copenhagen')::date + 14 end,
         1, at, at
  from v
  returning id, reference, owner_org, status, title, eligible_cost_dkk, total_cost_dkk, gating, assessment_due_on,
            review_required, created_at, participating_regions, description, phase, budget_lines, planned_start,
            planned_end, contact, review_requested
), b as (
  insert into project_baselines (project_id, version, content, gating, created_by, created_at)
  select id, 1,
         jsonb_build_object('title', title, 'description', description, 'participatingRegions', to_jsonb(participating_regions),
           'phase', phase, 'budgetLines', budget_lines, 'plannedStart', planned_start, 'plannedEnd', planned_end,
           'contact', contact, 'reviewRequested', review_requested),
         gating, 'seed-' || owner_org, created_at
  from p
)
select id, reference, owner_org, status, title, eligible_cost_dkk::float8 as eligible, total_cost_dkk::float8 as total,
       gating, assessment_due_on::text as due, review_required,
       to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time
from p order by created_at`

interface SeededProject {
  id: string
  reference: string
  owner_org: string
  status: string
  title: string
  eligible: number
  total: number
  gating: Record<string, unknown>
  due: string | null
  review_required: boolean
  time: string
}

/** Adds `count` projects (with events and sealed chain links) after whatever the database holds. */
export async function seedProjects (databaseUrl: string, opts: SeedOptions): Promise<{ projects: number, events: number, ms: number }> {
  const started = Date.now()
  const batchSize = opts.batchSize ?? 10_000
  const log = opts.log ?? (() => {})
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('set synchronous_commit = off')
    const existing = await client.query<{ n: string, head_seq: string | null, head_hash: string | null }>(`
      select (select count(*) from projects)::text as n,
             (select sequence::text from audit_chain order by sequence desc limit 1) as head_seq,
             (select hash from audit_chain order by sequence desc limit 1) as head_hash`)
    const first = Number(existing.rows[0]!.n) + 1
    const last = first + opts.count - 1
    let sequence = Number(existing.rows[0]!.head_seq ?? 0)
    let prevhash = existing.rows[0]!.head_hash ?? GENESIS_HASH
    // Seeded projects end a minute before now, so that everything the service writes is newer.
    const base = new Date(Date.now() - (last + 60) * 1000).toISOString()
    let events = 0

    for (let from = first; from <= last; from += batchSize) {
      const to = Math.min(last, from + batchSize - 1)
      await client.query('begin')
      const { rows } = await client.query<SeededProject>(SEED_BATCH, [from, to, base])
      const ids: string[] = []
      const projectIds: string[] = []
      const bodies: string[] = []
      const times: string[] = []
      for (const p of rows) {
        const id = md5Uuid(`council-gate-bench-event-${p.id}`)
        const caller = `seed-${p.owner_org}`
        const body = canonicalJson({
          specversion: '1.0',
          id,
          source: EVENT_SOURCE,
          type: 'itraad.project.submitted',
          subject: `projects/${p.id}`,
          time: p.time,
          datacontenttype: 'application/json',
          authtype: 'user',
          authid: caller,
          actororg: p.owner_org,
          data: {
            reference: p.reference,
            description: `Projekt ${p.reference} "${p.title}" indsendt af ${p.owner_org}; ${p.review_required ? 'rådsbehandling påkrævet' : 'rådsbehandling ikke påkrævet'}.`,
            ownerOrg: p.owner_org,
            version: 1,
            status: p.status,
            eligibleCostDkk: p.eligible,
            totalCostDkk: p.total,
            gating: p.gating,
            assessmentDueOn: p.due
          }
        })!
        ids.push(id)
        projectIds.push(p.id)
        bodies.push(body)
        times.push(p.time)
      }
      const inserted = await client.query<{ pos: string, id: string }>(`
        insert into audit_events (id, project_id, type, body, created_at)
        select e.id, e.project_id, 'itraad.project.submitted', e.body, e.at
        from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) with ordinality as e(id, project_id, body, at, n)
        order by e.n
        returning pos::text as pos, id`, [ids, projectIds, bodies, times])
      const posById = new Map(inserted.rows.map((r) => [r.id, r.pos]))
      const sequences: number[] = []
      const positions: string[] = []
      const hashes: string[] = []
      const prevhashes: string[] = []
      for (let i = 0; i < ids.length; i++) {
        sequence++
        const hash = chainHash(prevhash, sequence, bodies[i]!)
        sequences.push(sequence)
        positions.push(posById.get(ids[i]!)!)
        hashes.push(hash)
        prevhashes.push(prevhash)
        prevhash = hash
      }
      await client.query(`
        insert into audit_chain (sequence, event_pos, hash, prevhash, sealed_at)
        select s, p, h, ph, $5::timestamptz from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as c(s, p, h, ph)`,
      [sequences, positions, hashes, prevhashes, times[times.length - 1]])
      await client.query('commit')
      events += ids.length
      if ((to - first + 1) % (batchSize * 10) === 0 || to === last) {
        log(`seeded ${to - first + 1} / ${opts.count} projects (${Math.round((Date.now() - started) / 1000)} s)`)
      }
    }
    await client.query('select setval(\'project_reference_seq\', greatest($1::bigint, (select last_value from project_reference_seq)))', [last])
    log('vacuum analyze …')
    await client.query('vacuum (analyze) projects, project_baselines, audit_events, audit_chain, audit_unsealed')
    return { projects: opts.count, events, ms: Date.now() - started }
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    await client.end()
  }
}

/** A deterministic, well-formed version 4 UUID, like the projects' ids in SQL. */
function md5Uuid (input: string): string {
  const hex = createHash('md5').update(input).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [url, count] = process.argv.slice(2)
  if (!url || !count) {
    console.error('usage: npx tsx bench/seed.ts <postgres url of a migrated database> <number of projects>')
    process.exit(2)
  }
  const result = await seedProjects(url, { count: Number(count), log: (line) => console.log(line) })
  console.log(`${result.projects} projects, ${result.events} events in ${(result.ms / 1000).toFixed(1)} s`)
}
