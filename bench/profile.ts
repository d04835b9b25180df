/**
 * npm run bench -- --profile: CPU profiles of the service under load, one per workload.
 *
 * For each workload the service is started as in the bench (production settings, logging to a
 * file) but with `node --cpu-prof`, loaded with autocannon at 32 connections for BENCH_SECONDS
 * (default 10), and stopped, which writes bench/results/profiles/<workload>.cpuprofile. The top
 * self-time functions and packages are printed (bench/profile-summary.ts) and written to
 * bench/results/profiles/summary.txt. Open a .cpuprofile in Chrome DevTools (Performance) or
 * speedscope for the call tree.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import pg from 'pg'
import { benchAuth, ensureResultsDir, recreateDatabase, submission } from './lib/common.ts'
import { httpLoad } from './lib/load.ts'
import { migrate, startService } from './lib/service.ts'
import { formatSummary, summariseProfile } from './profile-summary.ts'
import { seedProjects } from './seed.ts'

const DB = 'council_gate_bench_profile'

export async function runProfile (): Promise<number> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
  const resultsDir = ensureResultsDir()
  const profileDir = resolve(resultsDir, 'profiles')
  mkdirSync(profileDir, { recursive: true })
  const url = await recreateDatabase(DB)
  await migrate(url)
  await seedProjects(url, { count: 1000 })
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const ids = (await client.query<{ id: string }>("select id from projects where owner_org = '1084' or participating_regions @> '{1084}' limit 1000")).rows.map((r) => r.id)
  await client.end()

  const auth = await benchAuth()
  const headers = { authorization: `Bearer ${await auth.token(['submitter'], '1084')}`, 'content-type': 'application/json' }
  const workloads = [
    { name: 'submit', method: 'POST' as const, path: '/v1/projects' as string | (() => string), body: JSON.stringify(submission(true)) },
    { name: 'list', method: 'GET' as const, path: '/v1/projects?limit=50' },
    { name: 'get', method: 'GET' as const, path: () => `/v1/projects/${ids[Math.floor(Math.random() * ids.length)]!}` }
  ]
  const summaries: string[] = []
  // BENCH_WORKLOADS=submit,get: only those.
  const only = process.env.BENCH_WORKLOADS?.split(',')
  for (const w of workloads.filter((w) => !only || only.includes(w.name))) {
    const tmp = resolve(profileDir, `tmp-${w.name}`)
    rmSync(tmp, { recursive: true, force: true })
    const service = await startService({
      databaseUrl: url,
      auth,
      logFile: resolve(resultsDir, 'profile-service.log'),
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${tmp}`]
    })
    // A short warm-up inside the profile is fine: it shows up as compilation, not as steady state.
    await httpLoad({ url: service.url, method: w.method, path: w.path, headers, connections: 8, seconds: 1, ...(w.body ? { body: w.body } : {}) })
    const m = await httpLoad({ url: service.url, method: w.method, path: w.path, headers, connections, seconds, ...(w.body ? { body: w.body } : {}) })
    await service.stop()
    // One profile per thread (tsx's loader runs in a worker): the main thread's has thread id 0.
    const file = readdirSync(tmp).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    if (!file) throw new Error(`no profile written for ${w.name}`)
    const target = resolve(profileDir, `${w.name}.cpuprofile`)
    renameSync(resolve(tmp, file), target)
    rmSync(tmp, { recursive: true, force: true })
    const summary = formatSummary(`${w.name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms at ${connections} connections (${target})`,
      summariseProfile(JSON.parse(readFileSync(target, 'utf8')), 25, seconds))
    console.log(summary + '\n')
    summaries.push(summary)
  }
  writeFileSync(resolve(profileDir, 'summary.txt'), summaries.join('\n\n') + '\n')
  return 0
}
