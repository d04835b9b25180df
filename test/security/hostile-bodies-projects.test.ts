import t from 'tap'
import { attack, TARGETS } from './hostile-bodies.ts'

// Hostile request bodies for projects and webhooks (the rest in the other hostile-bodies-*.test.ts file, so
// that the two run in parallel). What is attacked and what must hold: test/security/hostile-bodies.ts.
for (const target of TARGETS.filter((target) => target.path === '/v1/projects' || target.path === '/v1/projects/{id}' || target.path === '/v1/webhooks')) {
  t.test(`${target.method} ${target.path}: hostile bodies get documented answers, problem+json, never 5xx`, async (t) => {
    await attack(t, target)
  })
}
