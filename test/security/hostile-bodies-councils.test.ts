import t from 'tap'
import { attack, TARGETS } from './hostile-bodies.ts'

// Hundreds of hostile bodies per operation through the whole app, a fresh database per operation:
// on a busy machine this file needs far more than the suite's per-file default (.taprc). Counted
// from here.
t.setTimeout(600_000)

// Hostile request bodies for the councils' reference data: policy versions and organisations. The
// other operations are attacked by the other hostile-bodies-*.test.ts files, so that they run in
// parallel; what is attacked and what must hold is in test/security/hostile-bodies.ts.
for (const target of TARGETS.filter((target) => target.group === 'councils')) {
  t.test(`${target.method} ${target.path}: hostile bodies get documented answers, problem+json, never 5xx`, async (t) => {
    await attack(t, target)
  })
}
