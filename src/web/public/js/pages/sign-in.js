// Log ind: paste a bearer token from the identity provider, or — in dev mode only — get one
// from the service's dev key (POST /app/dev-token, which exists only in dev mode).
import { api, ApiError, forgetCachedData } from '../api.js'
import { h } from '../dom.js'
import { ORGANISATION, REGION_FALLBACK, ROLE } from '../labels.js'
import { saveToken, sessionFromToken } from '../session.js'
import { errorBox, field, showMessage } from '../ui.js'

/** The state authority that dev mode seeds (Demostyrelsen): a submitter to Statens It-råd at once. */
const DEMO_AUTHORITY = '10000000'

/** @param {import('../main.js').PageContext} ctx */
export async function signInPage (ctx) {
  const options = await fetch('/app/config.json', { credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : { devSignIn: false }))
    .catch(() => ({ devSignIn: false }))
  const message = h('div', { class: 'message-slot' })

  /** Checks the token against the API before keeping it. @param {string} token */
  async function signInWith (token) {
    const session = sessionFromToken(token)
    if (!session) throw new Error('Tokenet kan ikke læses. Indsæt hele tokenet (tre dele adskilt af punktum).')
    await api('/v1/regions', { token })
    forgetCachedData()
    saveToken(token)
    ctx.signedIn()
  }

  const content = [
    h('p', { text: 'Rådsportalen er for Regionernes It-råd og Statens It-råd: rådenes medlemmer og sekretariater, de regioner og statslige myndigheder, der indsender projekter, og administratorerne.' }),
    message,
    options.devSignIn ? devForm(message, signInWith) : null,
    tokenForm(message, signInWith)
  ]
  return { title: 'Log ind', content }
}

/**
 * @param {HTMLElement} message
 * @param {(token: string) => Promise<void>} signInWith
 */
function tokenForm (message, signInWith) {
  const token = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'token', name: 'token', rows: '4', spellcheck: 'false', autocomplete: 'off' }))
  const form = h('form', { novalidate: true, 'aria-labelledby': 'token-heading' },
    h('h2', { id: 'token-heading', text: 'Log ind med adgangstoken' }),
    field('Adgangstoken (JWT)', token, {
      required: true,
      help: 'Indsæt det bearer-token, du har fået fra jeres identitetsudbyder. Det gemmes kun i denne fane og glemmes, når fanen lukkes.'
    }),
    h('button', { type: 'submit', text: 'Log ind med token' }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const value = token.value.trim().replace(/^Bearer\s+/i, '')
    if (!value) {
      token.setAttribute('aria-invalid', 'true')
      showMessage(message, errorBox(new Error('Indsæt et adgangstoken.')))
      return
    }
    try {
      await signInWith(value)
    } catch (error) {
      token.setAttribute('aria-invalid', 'true')
      showMessage(message, errorBox(error))
    }
  })
  return form
}

/**
 * @param {HTMLElement} message
 * @param {(token: string) => Promise<void>} signInWith
 */
function devForm (message, signInWith) {
  const role = /** @type {HTMLSelectElement} */ (h('select', { id: 'dev-role', name: 'role' },
    Object.entries(ROLE).map(([value, label]) => h('option', { value, text: label }))))
  const org = /** @type {HTMLInputElement} */ (h('input', { id: 'dev-org', name: 'org', value: '1084', list: 'dev-orgs', autocomplete: 'off', maxlength: '32' }))
  // Before sign-in the API's organisations cannot be read: the ones every dev service has.
  const orgs = h('datalist', { id: 'dev-orgs' },
    Object.entries(REGION_FALLBACK).map(([code, name]) => h('option', { value: code, text: name })),
    Object.entries(ORGANISATION).map(([code, name]) => h('option', { value: code, text: name })),
    h('option', { value: DEMO_AUTHORITY, text: 'Demostyrelsen (statslig myndighed)' }))
  const sub = /** @type {HTMLInputElement} */ (h('input', { id: 'dev-sub', name: 'sub', autocomplete: 'off', maxlength: '255' }))
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'dev-name', name: 'name', autocomplete: 'name', maxlength: '255' }))
  const form = h('form', { novalidate: true, class: 'dev-sign-in', 'aria-labelledby': 'dev-heading' },
    h('h2', { id: 'dev-heading', text: 'Udviklingslogin' }),
    h('p', { class: 'notice', text: 'Kun i udviklingstilstand: tokenet underskrives af tjenestens lokale udviklingsnøgle. I drift logger du ind med et token fra identitetsudbyderen.' }),
    field('Rolle', role, { required: true }),
    field('Organisation', org, {
      required: true,
      help: `Organisationskode: fx 1084 for Region Hovedstaden, ${DEMO_AUTHORITY} for Demostyrelsen (en statslig myndighed under Statens It-råd), ITR for Regionernes It-råds sekretariat eller SIR for Statens It-råds sekretariat. ` +
        'Som rådsmedlem med tomt bruger-id er 1081 og 1083 demomedlemmer af Regionernes It-råd og SIR et demomedlem af Statens It-råd.'
    }),
    orgs,
    field('Bruger-id (valgfrit)', sub, { help: 'Tokenets sub. Tomt: dev-<rolle>-<organisation>.' }),
    field('Navn (valgfrit)', name),
    h('button', { type: 'submit', text: 'Log ind' }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    /** @type {Record<string, string>} */
    const body = { role: role.value, org: org.value.trim() }
    if (sub.value.trim()) body.sub = sub.value.trim()
    if (name.value.trim()) body.name = name.value.trim()
    try {
      const response = await fetch('/app/dev-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': 'da' },
        body: JSON.stringify(body),
        credentials: 'omit'
      })
      const data = await response.json().catch(() => null)
      if (!response.ok) throw new ApiError(response.status, data)
      await signInWith(data.token)
    } catch (error) {
      showMessage(message, errorBox(error))
    }
  })
  return form
}
