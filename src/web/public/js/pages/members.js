// Rådsmedlemmer (#/members): the councils' directory of members (GET /v1/members) for the
// secretariat (its own council's) and the admin (every council's). Registering a member
// (POST /v1/members) and, per member, changing the name or e-mail or making the member inactive or
// active again (PATCH /v1/members/{sub} with If-Match from a GET just before). When someone else
// has changed the member meanwhile (412, or the GET shows a change since the page was shown) the
// page says so and shows the directory anew. Only active members can be assigned to a review.
import { api, ApiError, councils, members, organisations, request } from '../api.js'
import { h } from '../dom.js'
import { councilName, orgName, SECRETARIAT_COUNCIL } from '../labels.js'
import { hasRole } from '../session.js'
import { errorBox, field, noticeBox, onSubmit, scrollableTable, showMessage } from '../ui.js'

/** @typedef {import('../api.js').Member} Member */

/** Enough of an address to catch a slip; the API decides. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Changed by someone else: the page shows the directory anew and says why. */
class ChangedMeanwhile extends Error {}

/** @param {import('../main.js').PageContext} ctx */
export async function membersPage (ctx) {
  const admin = hasRole(ctx.session, 'admin')
  if (!admin && !hasRole(ctx.session, 'secretariat')) {
    return { title: 'Rådsmedlemmer', content: h('p', { text: 'Rådsmedlemmerne vedligeholdes af rådenes sekretariater.' }) }
  }
  const [list, orgs, councilList] = await Promise.all([members(), organisations(), councils()])
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  // A secretariat keeps its own council's members; an admin those of both.
  const ownCouncil = admin
    ? null
    : orgs.find((o) => o.code === ctx.session?.org)?.council ?? SECRETARIAT_COUNCIL[ctx.session?.org ?? ''] ?? null
  const message = h('div', { class: 'message-slot' })
  const caption = `Rådsmedlemmer (${list.length})`
  const scope = ownCouncil ? councilName(ownCouncil, councilList) : 'rådene'

  const table = list.length === 0
    ? h('p', { class: 'members-empty', text: `Der er endnu ingen rådsmedlemmer i ${scope}.` })
    : scrollableTable(caption, h('table', { class: 'data members' },
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Navn' }),
        h('th', { scope: 'col', text: 'E-mail' }),
        h('th', { scope: 'col', text: 'Organisation' }),
        h('th', { scope: 'col', text: 'Råd' }),
        h('th', { scope: 'col', text: 'Aktiv' }),
        h('th', { scope: 'col', text: 'Handlinger' }))),
      h('tbody', {}, list.map((m) => row(ctx, m, names, councilList, message)))))

  return {
    title: 'Rådsmedlemmer',
    content: [
      h('p', { text: `Rådsmedlemmerne i ${scope}. Sekretariatet tilknytter et aktivt rådsmedlem til en sags vurdering; et inaktivt rådsmedlem kan ikke tilknyttes nye sager, men bevarer sine tidligere vurderinger.` }),
      message,
      table,
      registerForm(ctx, orgs, councilList, ownCouncil)
    ]
  }
}

/**
 * One member's row, with the actions.
 * @param {import('../main.js').PageContext} ctx
 * @param {Member} member as the table shows it
 * @param {Record<string, string>} names organisation names by code
 * @param {import('../api.js').Council[]} councilList
 * @param {HTMLElement} message the page's message slot
 */
function row (ctx, member, names, councilList, message) {
  // Short words on the buttons; the member's name for those who hear them out of the row.
  const whom = (/** @type {string} */ text) => h('span', { class: 'visually-hidden', text })
  const edit = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', 'aria-expanded': 'false' }, 'Ret oplysninger', whom(` for ${member.name}`)))
  const toggle = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary' }, member.active ? 'Deaktivér' : 'Aktivér', whom(` ${member.name}`)))
  const tr = h('tr', { class: member.active ? null : 'row-inactive' },
    h('th', { scope: 'row', text: member.name }),
    h('td', { text: member.email ?? 'Ikke angivet' }),
    h('td', { text: orgName(member.org, names) }),
    h('td', { text: councilName(member.council, councilList) }),
    h('td', { text: member.active ? 'Ja' : 'Nej' }),
    h('td', { class: 'row-actions' }, edit, ' ', toggle))

  /** @type {HTMLElement | null} */
  let editRow = null
  const closeEdit = () => {
    editRow?.remove()
    editRow = null
    edit.setAttribute('aria-expanded', 'false')
    edit.focus()
  }

  edit.addEventListener('click', async () => {
    if (editRow) {
      closeEdit()
      return
    }
    edit.disabled = true
    try {
      const { etag, current } = await fresh(member)
      editRow = editMemberRow(ctx, member, current, etag, closeEdit)
      tr.after(editRow)
      edit.setAttribute('aria-expanded', 'true')
      editRow.querySelector('input')?.focus()
    } catch (error) {
      await explain(ctx, member, error, message)
    } finally {
      edit.disabled = false
    }
  })

  toggle.addEventListener('click', async () => {
    toggle.disabled = true
    try {
      const { etag } = await fresh(member)
      await api(`/v1/members/${encodeURIComponent(member.sub)}`, { method: 'PATCH', body: { active: !member.active }, headers: { 'if-match': etag } })
      ctx.navigate('#/members', member.active
        ? `${member.name} er nu inaktiv og kan ikke tilknyttes nye sager.`
        : `${member.name} er aktiv igen og kan tilknyttes sager.`)
    } catch (error) {
      toggle.disabled = false
      await explain(ctx, member, error, message)
    }
  })
  return tr
}

/**
 * The member as it is now, with its ETag for If-Match; ChangedMeanwhile when it is no longer what
 * the table shows (a change made on what the table shows would overwrite another's).
 * @param {Member} shown
 * @returns {Promise<{ etag: string, current: Member }>}
 */
async function fresh (shown) {
  const { body, headers } = await request(`/v1/members/${encodeURIComponent(shown.sub)}`)
  if (body.name !== shown.name || (body.email ?? null) !== (shown.email ?? null) || body.active !== shown.active) throw new ChangedMeanwhile()
  return { etag: headers.get('etag') ?? '', current: body }
}

/**
 * A refusal said in the page's words: changed meanwhile (412) shows the directory anew.
 * @param {import('../main.js').PageContext} ctx
 * @param {Member} member
 * @param {unknown} error
 * @param {HTMLElement} message
 * @returns {Promise<boolean>} whether the page is shown anew
 */
async function explain (ctx, member, error, message) {
  if (error instanceof ChangedMeanwhile || (error instanceof ApiError && error.status === 412)) {
    ctx.navigate('#/members',
      `Oplysningerne om ${member.name} er blevet ændret af en anden, siden siden blev vist, så din ændring er ikke gemt. Oversigten viser nu rådsmedlemmerne, som de er; prøv igen, hvis ændringen stadig er nødvendig.`,
      'notice')
    return true
  }
  showMessage(message, errorBox(error))
  return false
}

/**
 * The row under a member with the form that changes the name and the e-mail address.
 * @param {import('../main.js').PageContext} ctx
 * @param {Member} shown
 * @param {Member} current
 * @param {string} etag
 * @param {() => void} close
 */
function editMemberRow (ctx, shown, current, etag, close) {
  const message = h('div', { class: 'message-slot' })
  const key = shown.sub.replace(/[^A-Za-z0-9_-]/g, '_')
  const name = /** @type {HTMLInputElement} */ (h('input', { id: `member-edit-name-${key}`, name: 'name', maxlength: '200', autocomplete: 'off', value: current.name }))
  const email = /** @type {HTMLInputElement} */ (h('input', { id: `member-edit-email-${key}`, name: 'email', type: 'email', maxlength: '254', autocomplete: 'off', value: current.email ?? '' }))
  const cancel = h('button', { type: 'button', class: 'button-secondary', onclick: close }, 'Annullér')
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'inline-form', 'aria-label': `Ret oplysninger for ${shown.name}` },
    message,
    field('Navn', name, { required: true }),
    field('E-mail', email, { help: 'Valgfri. Tom: rådsmedlemmet har ingen e-mailadresse i oversigten.' }),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', text: 'Gem oplysninger' }), cancel)))
  onSubmit(form, message, () => {
    const newName = name.value.trim()
    const newEmail = email.value.trim()
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    /** @type {{ name?: string, email?: string | null }} */
    const body = {}
    if (!newName) problems.push({ id: name.id, message: 'Skriv rådsmedlemmets navn.' })
    else if (newName !== current.name) body.name = newName
    if (newEmail && !EMAIL.test(newEmail)) problems.push({ id: email.id, message: 'Skriv en gyldig e-mailadresse, fx navn@region.dk, eller lad feltet være tomt.' })
    else if ((newEmail || null) !== (current.email ?? null)) body.email = newEmail || null
    if (problems.length === 0 && Object.keys(body).length === 0) problems.push({ id: name.id, message: 'Navn og e-mail er de samme som før.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/members/${encodeURIComponent(shown.sub)}`, { method: 'PATCH', body, headers: { 'if-match': etag } })
        ctx.navigate('#/members', `Oplysningerne om ${newName} er gemt.`)
      }
    }
  }, async (error) => {
    if (error instanceof ApiError && error.status === 412 && await explain(ctx, shown, error, message)) {
      return noticeBox('Oversigten indlæses igen …')
    }
    return errorBox(error)
  })
  return h('tr', { class: 'row-edit' }, h('td', { colspan: '6' }, form))
}

/**
 * Registering a member: the user id at the identity provider, the name, optionally the e-mail,
 * the organisation the member comes from, and the council (a secretariat's own; an admin chooses).
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../api.js').Organisation[]} orgs
 * @param {import('../api.js').Council[]} councilList
 * @param {string | null} ownCouncil the secretariat's council; null for an admin
 */
function registerForm (ctx, orgs, councilList, ownCouncil) {
  const message = h('div', { class: 'message-slot' })
  const sub = /** @type {HTMLInputElement} */ (h('input', { id: 'member-sub', name: 'sub', maxlength: '255', autocomplete: 'off', spellcheck: 'false' }))
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'member-name', name: 'name', maxlength: '200', autocomplete: 'off' }))
  const email = /** @type {HTMLInputElement} */ (h('input', { id: 'member-email', name: 'email', type: 'email', maxlength: '254', autocomplete: 'off' }))
  const org = /** @type {HTMLSelectElement} */ (h('select', { id: 'member-org', name: 'org' }))
  const councilCodes = councilList.length > 0 ? councilList.map((c) => c.code) : ['regions', 'state']
  const council = /** @type {HTMLSelectElement} */ (h('select', { id: 'member-council', name: 'council' },
    h('option', { value: '', text: 'Vælg råd' }),
    councilCodes.map((code) => h('option', { value: code, text: councilName(code, councilList) }))))

  /** The active organisations of the chosen council (and those of no council), by name. */
  const fillOrganisations = () => {
    const chosen = ownCouncil ?? council.value
    const before = org.value
    const offered = orgs
      .filter((o) => o.active && (chosen === '' || o.council === chosen || o.council === null))
      .sort((a, b) => a.name.localeCompare(b.name, 'da'))
    org.replaceChildren(h('option', { value: '', text: 'Vælg organisation' }),
      ...offered.map((o) => h('option', { value: o.code, text: o.name })))
    if (offered.some((o) => o.code === before)) org.value = before
  }
  fillOrganisations()
  council.addEventListener('change', fillOrganisations)

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    message,
    field('Bruger-id', sub, { required: true, help: 'Rådsmedlemmets id (sub) hos identitetsudbyderen, som i medlemmets login. Det kan ikke ændres bagefter.' }),
    field('Navn', name, { required: true }),
    field('E-mail', email, { help: 'Valgfri.' }),
    ownCouncil
      ? h('p', { class: 'member-council' }, 'Råd: ', h('strong', { text: councilName(ownCouncil, councilList) }))
      : field('Råd', council, { required: true }),
    field('Organisation', org, { required: true, help: 'Den organisation, rådsmedlemmet kommer fra. Et rådsmedlem kan ikke tilknyttes sager, som organisationen selv ejer.' }),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', text: 'Registrér rådsmedlem' }))))

  onSubmit(form, message, () => {
    const chosenCouncil = ownCouncil ?? council.value
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!sub.value.trim()) problems.push({ id: sub.id, message: 'Skriv rådsmedlemmets bruger-id.' })
    if (!name.value.trim()) problems.push({ id: name.id, message: 'Skriv rådsmedlemmets navn.' })
    if (email.value.trim() && !EMAIL.test(email.value.trim())) problems.push({ id: email.id, message: 'Skriv en gyldig e-mailadresse, fx navn@region.dk, eller lad feltet være tomt.' })
    if (!chosenCouncil) problems.push({ id: council.id, message: 'Vælg rådet.' })
    if (!org.value) problems.push({ id: org.id, message: 'Vælg rådsmedlemmets organisation.' })
    return {
      problems,
      send: async () => {
        /** @type {{ sub: string, name: string, org: string, council: string, email?: string }} */
        const body = { sub: sub.value.trim(), name: name.value.trim(), org: org.value, council: chosenCouncil }
        if (email.value.trim()) body.email = email.value.trim()
        const created = await api('/v1/members', { method: 'POST', body })
        ctx.navigate('#/members', `${created.name ?? body.name} er registreret som rådsmedlem i ${councilName(created.council ?? chosenCouncil, councilList)} og kan nu tilknyttes sager.`)
      }
    }
  }, async (error) => errorBox(error, error instanceof ApiError && error.status === 409
    ? { explanation: 'Der er allerede et rådsmedlem med det bruger-id.' }
    : {}))

  return h('section', { class: 'member-add', 'aria-labelledby': 'member-form-heading' },
    h('h2', { id: 'member-form-heading', text: 'Registrér rådsmedlem' }),
    form)
}
