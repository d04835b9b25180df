// Organisationer (#/organisations): the regions, the secretariats, the state authorities and the
// others (GET /v1/organisations); for an admin, registering a state authority by its CVR number
// (POST /v1/organisations) and, per organisation, changing its name or making it inactive or
// active again (PATCH /v1/organisations/{code} with If-Match from a GET just before). When someone
// else has changed it meanwhile (412, or the GET shows it changed since the page was shown) the
// page says so and shows the organisations anew.
import { api, ApiError, councils, forgetOrganisations, request } from '../api.js'
import { h } from '../dom.js'
import { councilName, ORGANISATION_KIND } from '../labels.js'
import { hasRole } from '../session.js'
import { errorBox, field, onSubmit, scrollableTable, showMessage } from '../ui.js'

/** @typedef {import('../api.js').Organisation} Organisation */

const KIND_ORDER = ['region', 'secretariat', 'state_authority', 'other']
const CVR = /^\d{8}$/

/** Changed by someone else: the page shows the organisations anew and says why. */
class ChangedMeanwhile extends Error {}

/** @param {import('../main.js').PageContext} ctx */
export async function organisationsPage (ctx) {
  // Asked afresh (not the page load's copy): an admin acts on what the table shows.
  const [body, councilList] = await Promise.all([api('/v1/organisations'), councils()])
  /** @type {Organisation[]} */
  const orgs = [...body.items].sort((a, b) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name, 'da'))
  const admin = hasRole(ctx.session, 'admin')
  const message = h('div', { class: 'message-slot' })
  const caption = `Organisationer (${orgs.length})`

  const table = scrollableTable(caption, h('table', { class: 'data organisations' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Kode' }),
      h('th', { scope: 'col', text: 'Navn' }),
      h('th', { scope: 'col', text: 'Type' }),
      h('th', { scope: 'col', text: 'Råd' }),
      h('th', { scope: 'col', text: 'Aktiv' }),
      admin ? h('th', { scope: 'col', text: 'Handlinger' }) : null)),
    h('tbody', {}, orgs.map((o) => row(ctx, o, councilList, admin, message)))))

  return {
    title: 'Organisationer',
    content: [
      h('p', { text: 'De organisationer, rådsportalen kender. Regioner og statslige myndigheder indsender projekter til deres råd; en inaktiv organisations indsendere kan ikke indsende, men dens projekter kan stadig ses.' }),
      message,
      table,
      admin ? registerForm(ctx) : null
    ]
  }
}

/**
 * One organisation's row, with the admin's actions.
 * @param {import('../main.js').PageContext} ctx
 * @param {Organisation} org as the table shows it
 * @param {import('../api.js').Council[]} councilList
 * @param {boolean} admin
 * @param {HTMLElement} message the page's message slot
 */
function row (ctx, org, councilList, admin, message) {
  const tr = h('tr', { class: org.active ? null : 'row-inactive' },
    h('td', { text: org.code }),
    h('th', { scope: 'row', text: org.name }),
    h('td', { text: ORGANISATION_KIND[org.kind] ?? org.kind }),
    h('td', { text: org.council ? councilName(org.council, councilList) : 'Intet råd' }),
    h('td', { text: org.active ? 'Ja' : 'Nej' }))
  if (!admin) return tr

  // Short words on the buttons; the organisation's name for those who hear them out of the row.
  const whom = (/** @type {string} */ text) => h('span', { class: 'visually-hidden', text })
  const rename = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', 'aria-expanded': 'false' }, 'Ret navn', whom(` for ${org.name}`)))
  const toggle = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary' }, org.active ? 'Deaktivér' : 'Aktivér', whom(` ${org.name}`)))
  tr.append(h('td', { class: 'row-actions' }, rename, ' ', toggle))

  /** @type {HTMLElement | null} */
  let editRow = null
  const closeEdit = () => {
    editRow?.remove()
    editRow = null
    rename.setAttribute('aria-expanded', 'false')
    rename.focus()
  }

  rename.addEventListener('click', async () => {
    if (editRow) {
      closeEdit()
      return
    }
    rename.disabled = true
    try {
      const { etag, current } = await fresh(org)
      editRow = renameRow(ctx, org, current, etag, closeEdit)
      tr.after(editRow)
      rename.setAttribute('aria-expanded', 'true')
      editRow.querySelector('input')?.focus()
    } catch (error) {
      await explain(ctx, org, error, message)
    } finally {
      rename.disabled = false
    }
  })

  toggle.addEventListener('click', async () => {
    toggle.disabled = true
    try {
      const { etag } = await fresh(org)
      await api(`/v1/organisations/${encodeURIComponent(org.code)}`, { method: 'PATCH', body: { active: !org.active }, headers: { 'if-match': etag } })
      forgetOrganisations()
      ctx.navigate('#/organisations', org.active
        ? `${org.name} er nu inaktiv. Organisationens indsendere kan ikke indsende projekter; dens projekter kan stadig ses.`
        : `${org.name} er aktiv igen.`)
    } catch (error) {
      toggle.disabled = false
      await explain(ctx, org, error, message)
    }
  })
  return tr
}

/**
 * The organisation as it is now, with its ETag for If-Match; ChangedMeanwhile when it is no
 * longer what the table shows (a change made on what the table shows would overwrite another's).
 * @param {Organisation} shown
 * @returns {Promise<{ etag: string, current: Organisation }>}
 */
async function fresh (shown) {
  const { body, headers } = await request(`/v1/organisations/${encodeURIComponent(shown.code)}`)
  if (body.name !== shown.name || body.active !== shown.active) throw new ChangedMeanwhile()
  return { etag: headers.get('etag') ?? '', current: body }
}

/**
 * A refusal said in the page's words: changed meanwhile (412) shows the organisations anew.
 * @param {import('../main.js').PageContext} ctx
 * @param {Organisation} org
 * @param {unknown} error
 * @param {HTMLElement} message
 */
async function explain (ctx, org, error, message) {
  if (error instanceof ChangedMeanwhile || (error instanceof ApiError && error.status === 412)) {
    forgetOrganisations()
    ctx.navigate('#/organisations',
      `${org.name} er blevet ændret af en anden, siden siden blev vist, så din ændring er ikke gemt. Oversigten viser nu organisationerne, som de er; prøv igen, hvis ændringen stadig er nødvendig.`,
      'notice')
    return
  }
  showMessage(message, errorBox(error))
}

/**
 * The row under an organisation with the form that changes its name.
 * @param {import('../main.js').PageContext} ctx
 * @param {Organisation} shown
 * @param {Organisation} current
 * @param {string} etag
 * @param {() => void} close
 */
function renameRow (ctx, shown, current, etag, close) {
  const message = h('div', { class: 'message-slot' })
  const name = /** @type {HTMLInputElement} */ (h('input', { id: `org-rename-${shown.code}`, name: 'name', maxlength: '200', autocomplete: 'off', value: current.name }))
  const cancel = h('button', { type: 'button', class: 'button-secondary', onclick: close }, 'Annullér')
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-label': `Ret navn for ${shown.name}` },
    message,
    field(`Nyt navn for ${shown.name}`, name, { required: true }),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', text: 'Gem navn' }), cancel)))
  onSubmit(form, message, () => {
    const value = name.value.trim()
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!value) problems.push({ id: name.id, message: 'Skriv organisationens nye navn.' })
    else if (value === current.name) problems.push({ id: name.id, message: 'Navnet er det samme som før.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/organisations/${encodeURIComponent(shown.code)}`, { method: 'PATCH', body: { name: value }, headers: { 'if-match': etag } })
        forgetOrganisations()
        ctx.navigate('#/organisations', `${shown.name} hedder nu ${value}.`)
      }
    }
  }, async (error) => {
    if (error instanceof ApiError && error.status === 412) {
      await explain(ctx, shown, error, message)
      return h('div', { class: 'message message-notice', role: 'status', tabindex: '-1' }, h('p', { text: 'Oversigten indlæses igen …' }))
    }
    return errorBox(error)
  })
  return h('tr', { class: 'row-edit' }, h('td', { colspan: '6' }, form))
}

/**
 * Admin: a state authority, by its CVR number, under Statens It-råd.
 * @param {import('../main.js').PageContext} ctx
 */
function registerForm (ctx) {
  const message = h('div', { class: 'message-slot' })
  const code = /** @type {HTMLInputElement} */ (h('input', { id: 'org-cvr', name: 'code', inputmode: 'numeric', maxlength: '11', size: '10', autocomplete: 'off' }))
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'org-name', name: 'name', maxlength: '200', autocomplete: 'organization' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    message,
    field('CVR-nummer', code, { required: true, help: '8 cifre, fx 29190909. CVR-nummeret bliver myndighedens kode.' }),
    field('Navn', name, { required: true, help: 'Myndighedens navn, fx Styrelsen for Dataforsyning.' }),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', text: 'Registrér myndighed' }))))
  onSubmit(form, message, () => {
    const cvr = code.value.replace(/\s+/g, '')
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!CVR.test(cvr)) problems.push({ id: code.id, message: 'Angiv CVR-nummeret med 8 cifre, fx 29190909.' })
    if (!name.value.trim()) problems.push({ id: name.id, message: 'Skriv myndighedens navn.' })
    return {
      problems,
      send: async () => {
        const created = await api('/v1/organisations', {
          method: 'POST',
          body: { code: cvr, name: name.value.trim(), kind: 'state_authority', council: 'state' }
        })
        forgetOrganisations()
        ctx.navigate('#/organisations', `${created.name} (CVR ${created.code}) er registreret som statslig myndighed under Statens It-råd. Dens indsendere kan nu indsende projekter.`)
      }
    }
  }, async (error) => errorBox(error, error instanceof ApiError && error.status === 409 ? { explanation: 'Der er allerede en organisation med det CVR-nummer.' } : {}))
  return h('section', { class: 'organisation-add', 'aria-labelledby': 'org-form-heading' },
    h('h2', { id: 'org-form-heading', text: 'Registrér statslig myndighed' }),
    h('p', { text: 'En statslig myndighed hører under Statens It-råd. Den registreres med sit CVR-nummer.' }),
    form)
}
