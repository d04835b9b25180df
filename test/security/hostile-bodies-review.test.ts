import t from 'tap'
import { attack, TARGETS } from './hostile-bodies.ts'

// Hostile request bodies for the review: assignments, conflicts, assessments, letter, response, status reports (the rest in the other hostile-bodies-*.test.ts file, so
// that the two run in parallel). What is attacked and what must hold: test/security/hostile-bodies.ts.
for (const target of TARGETS.filter((target) => target.path.startsWith('/v1/projects/{id}/'))) {
  t.test(`${target.method} ${target.path}: hostile bodies get documented answers, problem+json, never 5xx`, async (t) => {
    await attack(t, target)
  })
}
