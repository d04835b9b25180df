import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { libpqEnv, percentile, submission } from './common.ts'
import type { Measurement } from './load.ts'
import { run } from './processes.ts'

/*
 * The limit: pgbench running the floor's SQL (bench/floor-server.ts) as custom scripts,
 * -M prepared. Values travel as parameters (-D variables), like the floor's; literals cannot hold
 * them anyway, since pgbench takes every `:name` — `":false"` in JSON too — for a variable. One
 * script execution is one request.
 *
 * The submission is the floor's transaction. pgbench cannot make ids, so the project's id is
 * gen_random_uuid() in the insert, which returns it with the reference (\gset) for the baseline
 * and the event; the event's id is gen_random_uuid() too, and its body is a fixed CloudEvent of
 * the floor's size (pgbench cannot build one per transaction).
 */

const PROJECT_COLUMNS = 'id, reference, owner_org, council, kind, status, title, description, participating_regions, phase, ' +
  'budget_lines, planned_start, planned_end, contact, review_requested, eligible_cost_dkk, total_cost_dkk, ' +
  'review_required, gating, submitted_on, assessment_due_on, version, created_at, updated_at'

const SUBMIT = `BEGIN;
SELECT name, kind, council, active FROM organisations WHERE code = :org \\gset
SELECT id AS policy, version, rule, review_working_days FROM policies WHERE council = :council AND effective_from <= :submittedon ORDER BY effective_from DESC LIMIT 1;
INSERT INTO projects (${PROJECT_COLUMNS}) VALUES (gen_random_uuid(),
  (SELECT 'ITR-' || :year::text || '-' || lpad(n, greatest(4, length(n)), '0') FROM (SELECT nextval('project_reference_seq')::text AS n) AS drawn),
  :org, :council, 'project', :status, :title, :description, :regions, :phase, :budget, :plannedstart, :plannedend, :contact, :requested, :eligible, :total,
  :reviewrequired, :gating, :submittedon, NULLIF(:due, 'none')::date, 1, now(), now()) RETURNING id, reference \\gset
INSERT INTO project_baselines (project_id, version, content, gating, created_by, created_at) VALUES (:id, 1, :content, :gating, :sub, now());
WITH event AS (INSERT INTO audit_events (id, project_id, type, body) VALUES (gen_random_uuid(), :id, 'itraad.project.submitted', :body) RETURNING pos)
  INSERT INTO audit_unsealed (pos) SELECT pos FROM event;
COMMIT;
`

const LETTERS = 'SELECT DISTINCT ON (project_id) project_id, risk_profile, issued_at FROM letters WHERE project_id = ANY(:ids::uuid[]) ' +
  'ORDER BY project_id, issued_at DESC;\n'

const LIST = `SELECT ${PROJECT_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', :fmt) AS position FROM projects
  WHERE (owner_org = :org OR participating_regions @> :orgs) ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT :limit;
${LETTERS}`

const GET = `SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = :id AND (owner_org = :org OR participating_regions @> :orgs) LIMIT 1;
${LETTERS}`

export interface PgbenchCase {
  script: string
  variables: Record<string, string>
}

/** The variables of a submission, computed as the floor computes them (close enough in size and type). */
function submitVariables (gated: boolean): Record<string, string> {
  const s = submission(gated) as {
    title: string,
    description: string,
    participatingRegions: string[],
    phase: string,
    plannedStart: string,
    plannedEnd: string,
    budgetLines: Array<{ category: string, amountDkk: number }>,
    contact: unknown,
    reviewRequested: boolean
  }
  const now = new Date().toISOString()
  const eligible = s.budgetLines.filter((l) => l.category !== 'operations' && l.category !== 'interest').reduce((a, l) => a + l.amountDkk, 0)
  const total = s.budgetLines.reduce((a, l) => a + l.amountDkk, 0)
  const gating = {
    eligibleCostDkk: eligible,
    evaluatedAt: now,
    policy: 'regions-2019',
    policyVersion: 1,
    reasons: [`eligible cost ${eligible} DKK is at or above 10000000 DKK`, gated ? 'all five regions participate' : 'only 4 of 5 required regions participate (missing 1085)'],
    reviewRequired: gated,
    totalCostDkk: total
  }
  const due = gated ? '2026-12-07' : null
  // A reference of the length the sequence gives; the ids as placeholders of a uuid's length.
  const reference = `ITR-${now.slice(0, 4)}-0001`
  const body = JSON.stringify({
    actororg: '1084',
    authid: 'bench-submitter-1084',
    authtype: 'user',
    data: {
      assessmentDueOn: due,
      council: 'regions',
      description: `Projekt ${reference} "${s.title}" indsendt af Region Hovedstaden; ${gated ? 'rådsbehandling påkrævet' : 'rådsbehandling ikke påkrævet'}.`,
      eligibleCostDkk: eligible,
      gating,
      kind: 'project',
      ownerOrg: '1084',
      reference,
      status: gated ? 'awaiting_assessment' : 'not_required',
      totalCostDkk: total,
      version: 1
    },
    datacontenttype: 'application/json',
    id: '00000000-0000-4000-8000-000000000000',
    source: '/council-gate',
    specversion: '1.0',
    subject: 'projects/00000000-0000-4000-8000-000000000000',
    time: now,
    type: 'itraad.project.submitted'
  })
  return {
    year: now.slice(0, 4),
    org: '1084',
    sub: 'bench-submitter-1084',
    status: gated ? 'awaiting_assessment' : 'not_required',
    title: s.title,
    description: s.description,
    regions: `{${s.participatingRegions.join(',')}}`,
    phase: s.phase,
    budget: JSON.stringify(s.budgetLines),
    plannedstart: s.plannedStart,
    plannedend: s.plannedEnd,
    contact: JSON.stringify(s.contact),
    requested: String(s.reviewRequested),
    eligible: String(eligible),
    total: String(total),
    reviewrequired: String(gated),
    gating: JSON.stringify(gating),
    submittedon: now.slice(0, 10),
    // A -D value cannot be NULL or empty: 'none' stands for NULL (NULLIF in the script).
    due: due ?? 'none',
    content: JSON.stringify(s),
    body
  }
}

export function pgbenchCases (ids: { page: string[], one: string }): Record<'submitGated' | 'submitUngated' | 'list' | 'get', PgbenchCase> {
  const visible = { org: '1084', orgs: '{1084}' }
  return {
    submitGated: { script: SUBMIT, variables: submitVariables(true) },
    submitUngated: { script: SUBMIT, variables: submitVariables(false) },
    list: {
      script: LIST,
      variables: { ...visible, limit: '51', fmt: 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"', ids: `{${ids.page.slice(0, 50).join(',')}}` }
    },
    get: { script: GET, variables: { ...visible, id: ids.one, ids: `{${ids.one}}` } }
  }
}

/** One pgbench run; latency percentiles from its per-transaction log. */
export async function runPgbench (opts: { databaseUrl: string, workDir: string, name: string, pgCase: PgbenchCase, clients: number, seconds: number }): Promise<Measurement> {
  const dir = join(opts.workDir, `pgbench-${opts.name}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const scriptFile = join(dir, 'script.sql')
  writeFileSync(scriptFile, opts.pgCase.script)
  const args = [
    '-n', '-M', 'prepared', '-f', scriptFile,
    '-c', String(opts.clients), '-j', '2', '-T', String(opts.seconds),
    '-l', `--log-prefix=${join(dir, 'tx')}`,
    ...Object.entries(opts.pgCase.variables).flatMap(([k, v]) => ['-D', `${k}=${v}`])
  ]
  const result = await run(process.env.PGBENCH ?? 'pgbench', args, libpqEnv(opts.databaseUrl))
  if (result.code !== 0) throw new Error(`pgbench ${opts.name} failed (${result.code}): ${result.stderr.slice(-2000)}`)
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(result.stdout)
  const failed = /number of failed transactions: (\d+)/.exec(result.stdout)
  const latencies: number[] = []
  for (const file of readdirSync(dir)) {
    if (!file.startsWith('tx.')) continue
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      // client_id transaction_no time(µs) script_no time_epoch time_us
      const field = line.split(' ')[2]
      if (field !== undefined) latencies.push(Number(field) / 1000)
    }
  }
  rmSync(dir, { recursive: true, force: true })
  const sorted = Float64Array.from(latencies).sort()
  return {
    rps: tps ? Number(tps[1]) : Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: latencies.length,
    failures: failed ? Number(failed[1]) : 0,
    statusCodes: {}
  }
}
