import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { TITLES } from '../../src/messages.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { failOnServerErrors, gatedProject, submitProject } from '../helpers/fixtures.ts'
import { ENGLISH_WORDS } from '../helpers/language.ts'

// API.md, "Danish errors": with Accept-Language: da the title, detail and errors[].message are
// Danish, otherwise English; type, code and status are the same either way.

const DANISH = ['da', 'da-DK,da;q=0.9,en;q=0.8']
const ENGLISH = [undefined, 'en', 'en-GB,en;q=0.9,da;q=0.8', 'fr']

interface Problem { type: string, title: string, status: number, detail: string, code: keyof typeof TITLES, instance?: string, errors?: Array<{ path: string, message: string }> }

interface Expected {
  status: number
  code: keyof typeof TITLES
  en: { detail: string, errors?: Array<[string, string]> }
  da: { detail: string, errors?: Array<[string, string]> }
}

async function ask (app: FastifyInstance, request: InjectOptions, language: string | undefined): Promise<LightMyRequestResponse> {
  const headers = { ...(request.headers ?? {}), ...(language === undefined ? {} : { 'accept-language': language }) }
  return app.inject({ ...request, headers })
}

/** The answer in every English and every Danish variant of the header, checked against `expected`. */
async function answersInBoth (t: Parameters<typeof build>[0], app: FastifyInstance, name: string, request: () => Promise<InjectOptions>, expected: Expected) {
  const bodies: Problem[] = []
  for (const [language, headers] of [['en', ENGLISH], ['da', DANISH]] as const) {
    for (const header of headers) {
      const what = `${name}, Accept-Language: ${header ?? '(none)'}`
      const res = await ask(app, await request(), header)
      t.equal(res.statusCode, expected.status, `${what}: status`)
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`)
      t.equal(res.headers['content-language'], language, `${what}: Content-Language`)
      t.match(res.headers.vary, /\bAccept-Language\b/, `${what}: Vary`)
      const body = res.json() as Problem
      bodies.push(body)
      t.equal(body.code, expected.code, `${what}: code`)
      t.equal(body.status, expected.status, `${what}: problem status`)
      t.equal(body.title, TITLES[expected.code][language], `${what}: title`)
      t.equal(body.detail, expected[language].detail, `${what}: detail`)
      if (expected[language].errors) t.same(body.errors?.map((e) => [e.path, e.message]), expected[language].errors, `${what}: errors`)
      t.notMatch(res.body, /9007199254740991/, `${what}: no safe-integer bound`)
      if (language === 'da') {
        for (const words of [body.title, body.detail, ...(body.errors ?? []).map((e) => e.message)]) {
          t.notMatch(words, ENGLISH_WORDS, `${what}: no English in "${words}"`)
        }
      }
    }
  }
  // The same kind of problem in every language.
  t.same(new Set(bodies.map((b) => `${b.type} ${b.code} ${b.status}`)).size, 1, `${name}: one type, code and status`)
  t.same(new Set(bodies.map((b) => JSON.stringify(b.errors?.map((e) => e.path)))).size, 1, `${name}: the same error paths`)
}

t.test('problems answer in Danish with Accept-Language: da and in English otherwise', async (t) => {
  const { app } = await build(t, { routes: failOnServerErrors(t) })
  const submitter = bearer(await token('submitter', '1084'))
  const project = await submitProject(app)

  // 1. 404: a project that does not exist, by id and by reference
  for (const id of ['00000000-0000-4000-8000-000000000000', 'ITR-2020-9999']) {
    await answersInBoth(t, app, `404 ${id}`, async () => ({ method: 'GET', url: `/v1/projects/${id}`, headers: submitter }), {
      status: 404,
      code: 'NOT_FOUND',
      en: { detail: 'project not found' },
      da: { detail: 'projektet findes ikke' }
    })
  }

  // 2. 409: the letter before any assessment
  const secretariat = bearer(await token('secretariat', 'ITR'))
  await answersInBoth(t, app, '409 state', async () => ({
    method: 'POST',
    url: `/v1/projects/${project.id}/letter`,
    headers: secretariat,
    payload: { statement: 'Rådets udtalelse.', riskProfile: 'B', externalReviewRecommended: false }
  }), {
    status: 409,
    code: 'STATE_CONFLICT',
    en: { detail: 'a project in state "awaiting_assessment" cannot have a recommendation letter issued' },
    da: { detail: 'et projekt med status "afventer vurdering" kan ikke få udsendt et anbefalingsbrev' }
  })

  // 3. 400: a missing field, a wrong choice, an amount over its limit (and over 2^53), an unknown property
  await answersInBoth(t, app, '400 body', async () => ({
    method: 'POST',
    url: '/v1/projects',
    headers: submitter,
    payload: gatedProject({ title: undefined, phase: 'done', budgetLines: [{ category: 'supplier', year: 2027, amountDkk: 1e20 }], colour: 'red' })
  }), {
    status: 400,
    code: 'VALIDATION_FAILED',
    en: {
      detail: 'body /title: is required',
      errors: [
        ['/title', 'is required'],
        ['/phase', 'must be one of: idea, analysis, purchasing, delivery, realisation'],
        ['/budgetLines/0/amountDkk', 'must be at most 10000000000000'],
        ['/', 'unknown property: colour']
      ]
    },
    da: {
      detail: 'indholdet /title: er påkrævet',
      errors: [
        ['/title', 'er påkrævet'],
        ['/phase', 'skal være en af: idea, analysis, purchasing, delivery, realisation'],
        ['/budgetLines/0/amountDkk', 'må højst være 10000000000000'],
        ['/', 'ukendt felt: colour']
      ]
    }
  })

  // 4. 400 in the query string, and a schema's own rule (the revision's at-least-one-field)
  await answersInBoth(t, app, '400 query', async () => ({ method: 'GET', url: '/v1/projects?limit=500&status=open', headers: submitter }), {
    status: 400,
    code: 'VALIDATION_FAILED',
    en: {
      detail: 'querystring /limit: must be at most 200',
      errors: [['/limit', 'must be at most 200'], ['/status', 'must be one of: not_required, awaiting_assessment, under_assessment, letter_issued, responded, withdrawn, closed']]
    },
    da: {
      detail: 'forespørgslen /limit: må højst være 200',
      errors: [['/limit', 'må højst være 200'], ['/status', 'skal være en af: not_required, awaiting_assessment, under_assessment, letter_issued, responded, withdrawn, closed']]
    }
  })
  await answersInBoth(t, app, '400 rule', async () => ({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...submitter, 'if-match': '"1"' }, payload: {} }), {
    status: 400,
    code: 'VALIDATION_FAILED',
    en: { detail: 'body /: at least one field must be given', errors: [['/', 'at least one field must be given']] },
    da: { detail: 'indholdet /: mindst ét felt skal udfyldes', errors: [['/', 'mindst ét felt skal udfyldes']] }
  })

  // 5. 401: no token, and an expired one
  await answersInBoth(t, app, '401', async () => ({ method: 'GET', url: '/v1/projects' }), {
    status: 401,
    code: 'UNAUTHENTICATED',
    en: { detail: 'an Authorization: Bearer token is required' },
    da: { detail: 'der kræves et adgangstoken i headeren Authorization: Bearer' }
  })
  const expired = bearer(await token('submitter', '1084', { expiresIn: -3600 }))
  await answersInBoth(t, app, '401 expired', async () => ({ method: 'GET', url: '/v1/projects', headers: expired }), {
    status: 401,
    code: 'UNAUTHENTICATED',
    en: { detail: 'token has expired' },
    da: { detail: 'tokenet er udløbet' }
  })

  // 6. 403: a role the operation does not admit
  const member = bearer(await token('council_member', '1081'))
  await answersInBoth(t, app, '403', async () => ({ method: 'POST', url: '/v1/projects', headers: member, payload: gatedProject() }), {
    status: 403,
    code: 'FORBIDDEN',
    en: { detail: 'this operation needs one of the roles: submitter' },
    da: { detail: 'handlingen kræver en af rollerne: submitter' }
  })

  // 7. 412, 428: a stale and a missing If-Match
  await answersInBoth(t, app, '412', async () => ({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: { ...submitter, 'if-match': '"7"' }, payload: { title: 'Nyt navn' } }), {
    status: 412,
    code: 'PRECONDITION_FAILED',
    en: { detail: 'the project is at version 1 (ETag "1"); GET it again and retry' },
    da: { detail: 'projektet er i version 1 (ETag "1"); hent det igen med GET, og prøv igen' }
  })
  await answersInBoth(t, app, '428', async () => ({ method: 'PATCH', url: `/v1/projects/${project.id}`, headers: submitter, payload: { title: 'Nyt navn' } }), {
    status: 428,
    code: 'PRECONDITION_REQUIRED',
    en: { detail: 'send If-Match with the ETag from GET /v1/projects/{id}, e.g. If-Match: "1"' },
    da: { detail: 'send If-Match med ETag fra GET /v1/projects/{id}, f.eks. If-Match: "1"' }
  })

  // 8. 415: not JSON; a charset other than UTF-8
  await answersInBoth(t, app, '415', async () => ({ method: 'POST', url: '/v1/projects', headers: { ...submitter, 'content-type': 'text/plain' }, payload: 'title=x' }), {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    en: { detail: 'Request body must be application/json' },
    da: { detail: 'Anmodningens indhold skal være application/json' }
  })
  await answersInBoth(t, app, '415 charset', async () => ({
    method: 'POST',
    url: '/v1/projects',
    headers: { ...submitter, 'content-type': 'application/json; charset=ISO-8859-1' },
    payload: JSON.stringify(gatedProject())
  }), {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    en: { detail: 'charset ISO-8859-1 is not supported: JSON is sent in UTF-8' },
    da: { detail: 'tegnsættet ISO-8859-1 understøttes ikke: JSON sendes i UTF-8' }
  })

  // 9. no such route
  await answersInBoth(t, app, '404 route', async () => ({ method: 'GET', url: '/v1/nothing-here' }), {
    status: 404,
    code: 'ROUTE_NOT_FOUND',
    en: { detail: 'no route GET /v1/nothing-here' },
    da: { detail: 'der er ingen rute til GET /v1/nothing-here' }
  })
})

t.test('a problem type is described in the language asked for', async (t) => {
  const { app } = await build(t)
  const english = await app.inject({ method: 'GET', url: '/problems/state-conflict' })
  const danish = await app.inject({ method: 'GET', url: '/problems/state-conflict', headers: { 'accept-language': 'da' } })
  t.same(english.json(), { type: '/problems/state-conflict', code: 'STATE_CONFLICT', title: 'The current state does not allow this', status: 409 })
  t.same(danish.json(), { type: '/problems/state-conflict', code: 'STATE_CONFLICT', title: 'Den nuværende tilstand tillader ikke handlingen', status: 409 })
  t.equal(danish.headers['content-language'], 'da')
  t.match(danish.headers.vary, /\bAccept-Language\b/)
})
