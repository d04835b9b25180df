import t from 'tap'
import { build } from '../helpers/build.ts'
import { attack, TARGETS } from './hostile-bodies.ts'

// Hundreds of hostile bodies per operation through the whole app, a fresh database per operation:
// on a busy machine this file needs far more than the suite's per-file default (.taprc). Counted
// from here.
t.setTimeout(600_000)

// Hostile request bodies for projects (submit, revise, withdraw) and webhooks. The other operations are attacked by the other
// hostile-bodies-*.test.ts files, so that they run in parallel; what is attacked and what must hold
// is in test/security/hostile-bodies.ts.
for (const target of TARGETS.filter((target) => target.group === 'projects')) {
  t.test(`${target.method} ${target.path}: hostile bodies get documented answers, problem+json, never 5xx`, async (t) => {
    await attack(t, target)
  })
}

t.test('every operation with a request body in the OpenAPI document is attacked', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const paths = (app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> }).paths
  // JSON bodies; the one multipart body (a document upload) has its bad input in test/documents/documents.test.ts.
  const isJson = (body: { content?: Record<string, unknown> }) => Object.keys(body.content ?? {}).some((type) => type !== 'multipart/form-data')
  const withBody = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).filter(([, operation]) => operation.requestBody !== undefined && isJson(operation.requestBody)).map(([method]) => `${method.toUpperCase()} ${path}`))
  t.same(withBody.sort(), TARGETS.map((target) => `${target.method} ${target.path}`).sort(), 'add a target to test/security/hostile-bodies.ts for a new body')
})
