/**
 * Records the SQL statements the service sends for each request the bench loads, and the floor
 * (bench/floor-server.ts) for the same requests, prints the service's and says where the floor
 * differs. Run it whenever a use case's SQL changes, and bring the floor and the pgbench scripts
 * (bench/lib/pgbench.ts) into line:
 *
 *   npx tsx bench/trace-sql.ts          exits 1 when the floor does not send the same statements
 *
 * Both run in-process on scratch databases, the service with its background workers off (the
 * sealer's statements are not per request); every query that reaches `pg` is recorded with its
 * prepared-statement name, if any.
 */
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openPostgres } from '../src/db/client.ts'
import { buildFloor } from './floor-server.ts'
import { AUDIENCE, benchAuth, dropDatabase, ISSUER, recreateDatabase, submission } from './lib/common.ts'

const recorded: string[] = []
let recording = false
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const first = args[0] as string | { text?: string, name?: string }
    const text = typeof first === 'string' ? first : (first?.text ?? '')
    const name = typeof first === 'object' && first?.name ? ` [prepared ${first.name}]` : ''
    recorded.push(text.replace(/\s+/g, ' ').trim() + name)
  }
  return originalQuery.apply(this, args)
} as typeof pg.Client.prototype.query

const auth = await benchAuth()
const headers = { authorization: `Bearer ${await auth.token(['submitter'], '1084')}`, 'content-type': 'application/json' }

async function traceAll (target: 'service' | 'floor'): Promise<Map<string, string[]>> {
  const name = `council_gate_bench_trace_${target}`
  const url = await recreateDatabase(name)
  const database = openPostgres(url, 4)
  await database.migrate()
  let baseUrl: string
  let close: () => Promise<void>
  if (target === 'floor') {
    const server = await buildFloor({ databaseUrl: url, poolSize: 4 })
    await server.listen({ port: 0, host: '127.0.0.1' })
    baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`
    close = async () => { await server.close() }
  } else {
    const config = loadConfig({
      DATABASE_URL: url,
      AUTH_JWKS: auth.jwks,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      RATE_LIMIT_PER_MINUTE: '0',
      WORKERS: 'off',
      AUDIT_SIGNING_JWK: '{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}'
    })
    const app = await buildApp({ config, database, logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    close = async () => { await app.close() }
  }

  const traces = new Map<string, string[]>()
  async function trace (label: string, path: string, init: RequestInit = {}): Promise<unknown> {
    recorded.length = 0
    recording = true
    const response = await fetch(baseUrl + path, { ...init, headers })
    const body: unknown = await response.json()
    recording = false
    traces.set(`${label}: ${response.status}`, [...recorded])
    return body
  }
  await trace('POST /v1/projects (gated)', '/v1/projects', { method: 'POST', body: JSON.stringify(submission(true)) })
  const created = await trace('POST /v1/projects (not gated)', '/v1/projects', { method: 'POST', body: JSON.stringify(submission(false)) }) as { id: string }
  await trace('GET /v1/projects?limit=50', '/v1/projects?limit=50')
  await trace('GET /v1/projects/{id}', `/v1/projects/${created.id}`)
  await close()
  await database.close()
  await dropDatabase(name)
  return traces
}

const service = await traceAll('service')
const floor = await traceAll('floor')
let differences = 0
for (const [label, statements] of service) {
  console.log(`\n== ${label} (${statements.length} statements)`)
  for (const statement of statements) console.log(`  ${statement}`)
  const other = floor.get(label)
  if (other === undefined) {
    differences++
    console.log(`  !! the floor answered differently: ${[...floor.keys()].filter((k) => k.startsWith(label.split(':')[0]!)).join(', ')}`)
    continue
  }
  for (let i = 0; i < Math.max(statements.length, other.length); i++) {
    if (statements[i] !== other[i]) {
      differences++
      console.log(`  !! floor statement ${i + 1} differs:\n     service: ${statements[i] ?? '(none)'}\n     floor:   ${other[i] ?? '(none)'}`)
    }
  }
}
console.log(differences === 0 ? '\nthe floor sends exactly the same statements' : `\n${differences} difference(s) between the service and the floor`)
process.exit(differences === 0 ? 0 : 1)
