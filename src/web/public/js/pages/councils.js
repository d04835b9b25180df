// Råd og regelsæt (#/councils): the two councils, their secretariats and their dated policy
// versions (GET /v1/councils, GET /v1/councils/{code}/policies), and for an admin the form that
// adds a version (POST /v1/councils/{code}/policies). A version is never changed or removed; a new
// one is in force from a date after today.
import { api, ApiError, councils, organisations, policies, policyInForce } from '../api.js'
import { h } from '../dom.js'
import { formatDate, formatDkk, formatNumber, parseDkk, todayInDenmark } from '../format.js'
import { councilName, orgName } from '../labels.js'
import { hasRole } from '../session.js'
import { errorBox, facts, field, markInvalid, onSubmit, scrollableTable } from '../ui.js'

/** @typedef {import('../api.js').Policy} Policy */

/** The follow-up tolerances, in the order the pages show them. */
const TOLERANCES = /** @type {const} */ ([
  { key: 'costPct', label: 'Økonomi', unit: '%', help: 'Afvigelse fra det godkendte budget, i procent.' },
  { key: 'financialBenefitsPct', label: 'Økonomiske gevinster', unit: '%', help: 'Manglende økonomiske gevinster, i procent.' },
  { key: 'scheduleDays', label: 'Tidsplan', unit: 'dage', help: 'Dage, den forventede slutdato ligger efter den godkendte.' }
])

/**
 * "gul fra 5 %, rød fra 15 %"
 * @param {{ yellow: number, red: number }} tolerance
 * @param {string} unit
 */
function toleranceText (tolerance, unit) {
  return `gul fra ${formatNumber(tolerance.yellow)} ${unit}, rød fra ${formatNumber(tolerance.red)} ${unit}`
}

/**
 * The day after `date` (YYYY-MM-DD): the earliest a new version may take effect.
 * @param {string} date
 */
function dayAfter (date) {
  const next = new Date(`${date}T12:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return next.toISOString().slice(0, 10)
}

/** @param {import('../main.js').PageContext} ctx */
export async function councilsPage (ctx) {
  const [councilList, orgs] = await Promise.all([councils(), organisations()])
  const versions = await Promise.all(councilList.map((c) => policies(c.code)))
  /** @type {Record<string, Policy[]>} */
  const byCouncil = Object.fromEntries(councilList.map((c, i) => [c.code, versions[i] ?? []]))
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  const today = todayInDenmark()

  const sections = councilList.map((council) => {
    const list = byCouncil[council.code] ?? []
    const current = policyInForce(list, today)
    const headingId = `council-${council.code}-heading`
    return h('section', { class: 'council', 'aria-labelledby': headingId },
      h('h2', { id: headingId, text: council.name }),
      facts([
        ['Sekretariat', orgName(council.secretariatOrg, names)],
        ['Regelsæt i kraft i dag', current ? `${current.id} (version ${current.version}), gældende fra ${formatDate(current.effectiveFrom)}` : 'Intet']
      ]),
      policyTable(council.name, list, current, today))
  })

  return {
    title: 'Råd og regelsæt',
    content: [
      h('p', { text: 'Hvert råd gater projekter efter sine regelsæt. Et projekt vurderes efter det regelsæt, der gælder den dag, det indsendes eller revideres. Et regelsæt ændres og slettes aldrig; et nyt gælder tidligst fra i morgen.' }),
      sections,
      hasRole(ctx.session, 'admin') ? policyForm(ctx, councilList, byCouncil, today) : null
    ]
  }
}

/**
 * One council's versions, oldest first.
 * @param {string} name the council's name
 * @param {Policy[]} list
 * @param {Policy | null} current the version in force today
 * @param {string} today
 */
function policyTable (name, list, current, today) {
  const caption = `Regelsæt for ${name}, ældste først`
  if (list.length === 0) return h('p', { class: 'empty', text: `${name} har ingen regelsæt.` })
  /** @param {Policy} policy */
  const state = (policy) => policy === current ? 'I kraft' : policy.effectiveFrom > today ? 'Kommende' : 'Afløst'
  return scrollableTable(caption, h('table', { class: 'data policies' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Regelsæt' }),
      h('th', { scope: 'col', class: 'number', text: 'Version' }),
      h('th', { scope: 'col', text: 'Gælder fra' }),
      h('th', { scope: 'col', text: 'Status' }),
      h('th', { scope: 'col', class: 'number', text: 'Tærskel' }),
      h('th', { scope: 'col', text: 'Alle fem regioner' }),
      h('th', { scope: 'col', class: 'number', text: 'Arbejdsdage, projekt' }),
      h('th', { scope: 'col', class: 'number', text: 'Arbejdsdage, program' }),
      TOLERANCES.map((t) => h('th', { scope: 'col', text: `Opfølgning, ${t.label.toLowerCase()}` })))),
    h('tbody', {}, list.map((policy) => h('tr', { class: policy === current ? 'row-current' : null },
      h('th', { scope: 'row', text: policy.id }),
      h('td', { class: 'number', text: String(policy.version) }),
      h('td', { class: 'nowrap', text: formatDate(policy.effectiveFrom) }),
      h('td', {}, policy === current ? h('strong', { text: state(policy) }) : state(policy)),
      h('td', { class: 'number', text: formatDkk(policy.rule.minEligibleCostDkk) }),
      h('td', { text: policy.rule.requireAllRegions ? 'Ja' : 'Nej' }),
      h('td', { class: 'number', text: String(policy.reviewWorkingDays.project) }),
      h('td', { class: 'number', text: String(policy.reviewWorkingDays.programme) }),
      TOLERANCES.map((t) => h('td', { text: toleranceText(policy.followUp[t.key], t.unit) })))))))
}

/** Where the API's JSON pointers point in the form: a refusal marks the field it names. */
const POINTER_CONTROL = {
  '/id': 'policy-id',
  '/effectiveFrom': 'policy-effective-from',
  '/rule/minEligibleCostDkk': 'policy-threshold',
  '/rule/requireAllRegions': 'policy-all-regions',
  '/reviewWorkingDays/project': 'policy-days-project',
  '/reviewWorkingDays/programme': 'policy-days-programme',
  ...Object.fromEntries(TOLERANCES.flatMap((t) => [
    [`/followUp/${t.key}`, `policy-${t.key}-yellow`],
    [`/followUp/${t.key}/yellow`, `policy-${t.key}-yellow`],
    [`/followUp/${t.key}/red`, `policy-${t.key}-red`]
  ]))
}

/**
 * A number as people type it: "5", "2,5" or "2.5"; null for anything else.
 * @param {string} text
 */
function parseNumber (text) {
  const compact = text.trim().replace(',', '.')
  return /^\d+(\.\d+)?$/.test(compact) ? Number(compact) : null
}

/**
 * Admin: a new policy version for one of the councils, filled in from the version in force.
 * @param {import('../main.js').PageContext} ctx
 * @param {import('../api.js').Council[]} councilList
 * @param {Record<string, Policy[]>} byCouncil
 * @param {string} today
 */
function policyForm (ctx, councilList, byCouncil, today) {
  const message = h('div', { class: 'message-slot' })
  const council = /** @type {HTMLSelectElement} */ (h('select', { id: 'policy-council', name: 'council' },
    councilList.map((c) => h('option', { value: c.code, text: c.name }))))
  const id = /** @type {HTMLInputElement} */ (h('input', { id: 'policy-id', name: 'id', maxlength: '63', autocomplete: 'off', spellcheck: 'false' }))
  const effectiveFrom = /** @type {HTMLInputElement} */ (h('input', { type: 'date', id: 'policy-effective-from', name: 'effectiveFrom', min: dayAfter(today), max: '2100-12-31' }))
  const threshold = /** @type {HTMLInputElement} */ (h('input', { id: 'policy-threshold', name: 'minEligibleCostDkk', inputmode: 'numeric', maxlength: '24', autocomplete: 'off' }))
  const allRegions = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'policy-all-regions', name: 'requireAllRegions' }))
  const daysProject = /** @type {HTMLInputElement} */ (h('input', { id: 'policy-days-project', name: 'project', inputmode: 'numeric', maxlength: '3', size: '4', autocomplete: 'off' }))
  const daysProgramme = /** @type {HTMLInputElement} */ (h('input', { id: 'policy-days-programme', name: 'programme', inputmode: 'numeric', maxlength: '3', size: '4', autocomplete: 'off' }))
  const tolerances = TOLERANCES.map((t) => ({
    ...t,
    yellow: /** @type {HTMLInputElement} */ (h('input', { id: `policy-${t.key}-yellow`, name: `${t.key}-yellow`, inputmode: 'decimal', maxlength: '10', size: '6', autocomplete: 'off' })),
    red: /** @type {HTMLInputElement} */ (h('input', { id: `policy-${t.key}-red`, name: `${t.key}-red`, inputmode: 'decimal', maxlength: '10', size: '6', autocomplete: 'off' }))
  }))

  /** The chosen council's version in force: the starting point of the new one. */
  function fillFromCurrent () {
    const current = policyInForce(byCouncil[council.value] ?? [], today)
    if (!current) return
    threshold.value = formatDkk(current.rule.minEligibleCostDkk).replace(/ kr\.$/, '')
    allRegions.checked = current.rule.requireAllRegions
    daysProject.value = String(current.reviewWorkingDays.project)
    daysProgramme.value = String(current.reviewWorkingDays.programme)
    for (const t of tolerances) {
      t.yellow.value = formatNumber(current.followUp[t.key].yellow)
      t.red.value = formatNumber(current.followUp[t.key].red)
    }
  }
  council.addEventListener('change', fillFromCurrent)
  fillFromCurrent()

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'policy-form' },
    field('Råd', council, { required: true, help: 'Felterne nedenfor er udfyldt med rådets gældende regelsæt; ret dem til det nye.' }),
    field('Id', id, { required: true, help: 'Små bogstaver, cifre og bindestreger, fx state-2027. Et id bruges kun én gang.' }),
    field('Gælder fra', effectiveFrom, { required: true, help: `Tidligst ${formatDate(dayAfter(today))}: et regelsæt gælder aldrig med tilbagevirkende kraft.` }),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Hvornår rådet skal vurdere et projekt' }),
      field('Tærskel for medregnede omkostninger (kr.)', threshold, { required: true, help: 'Hele kroner, fx 15.000.000. Drift og renter medregnes ikke.' }),
      h('div', { class: 'field field-checkbox' }, allRegions,
        h('label', { for: allRegions.id, text: 'Kun når alle fem regioner deltager' }))),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Arbejdsdage til rådets vurdering' }),
      h('div', { class: 'field-row' },
        field('Projekt', daysProject, { required: true }),
        field('Program', daysProgramme, { required: true }))),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Opfølgningstolerancer' }),
      h('p', { class: 'help', text: 'Hvor en statusrapports lys skifter til gul og rød. Gul må ikke ligge over rød.' }),
      tolerances.map((t) => h('fieldset', { class: 'group tolerance' },
        h('legend', { text: `${t.label} (${t.unit})` }),
        h('p', { class: 'help', text: t.help }),
        h('div', { class: 'field-row' },
          field('Gul fra', t.yellow, { required: true }),
          field('Rød fra', t.red, { required: true }))))),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', text: 'Tilføj regelsæt' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!id.value.trim()) problems.push({ id: id.id, message: 'Skriv regelsættets id, fx state-2027.' })
    if (!effectiveFrom.value) problems.push({ id: effectiveFrom.id, message: 'Angiv den dato, regelsættet gælder fra.' })
    const minEligibleCostDkk = parseDkk(threshold.value)
    if (minEligibleCostDkk === null) problems.push({ id: threshold.id, message: 'Angiv tærsklen i hele kroner, fx 15.000.000.' })
    /** @param {HTMLInputElement} input @param {string} label */
    const days = (input, label) => {
      const value = /^\d{1,3}$/.test(input.value.trim()) ? Number(input.value.trim()) : null
      if (value === null) problems.push({ id: input.id, message: `Angiv arbejdsdage for ${label} som et helt tal, fx 10.` })
      return value
    }
    const project = days(daysProject, 'et projekt')
    const programme = days(daysProgramme, 'et program')
    /** @type {Record<string, { yellow: number | null, red: number | null }>} */
    const followUp = {}
    for (const t of tolerances) {
      const yellow = parseNumber(t.yellow.value)
      const red = parseNumber(t.red.value)
      if (yellow === null) problems.push({ id: t.yellow.id, message: `Angiv, hvor ${t.label.toLowerCase()} bliver gul, som et tal, fx 5.` })
      if (red === null) problems.push({ id: t.red.id, message: `Angiv, hvor ${t.label.toLowerCase()} bliver rød, som et tal, fx 15.` })
      followUp[t.key] = { yellow, red }
    }
    return {
      problems,
      send: async () => {
        const code = council.value
        const policy = await api(`/v1/councils/${encodeURIComponent(code)}/policies`, {
          method: 'POST',
          body: {
            id: id.value.trim(),
            effectiveFrom: effectiveFrom.value,
            rule: { minEligibleCostDkk, requireAllRegions: allRegions.checked },
            reviewWorkingDays: { project, programme },
            followUp
          }
        })
        ctx.navigate('#/councils', `Regelsæt ${policy.id} (version ${policy.version}) for ${councilName(code, councilList)} er tilføjet. Det gælder fra ${formatDate(policy.effectiveFrom)}.`)
      }
    }
  }, async (error) => {
    // The fields the API names are marked, as the form's own problems are.
    const named = error instanceof ApiError ? (error.problem?.errors ?? []) : []
    const marked = named.map((e) => ({ id: /** @type {Record<string, string>} */ (POINTER_CONTROL)[e.path] ?? '' })).filter((p) => p.id !== '')
    markInvalid(form, marked)
    // 409 (the id or the date is taken) and 422 (not after today): the API's detail says which.
    return errorBox(error, error instanceof ApiError && (error.status === 409 || error.status === 422) ? { explanation: null } : {})
  })

  return h('section', { class: 'policy-add', 'aria-labelledby': 'policy-form-heading' },
    h('h2', { id: 'policy-form-heading', text: 'Tilføj regelsæt' }),
    h('p', { text: 'Et nyt regelsæt afløser rådets gældende fra den dato, du angiver. Projekter, der allerede er indsendt, beholder det regelsæt, de blev vurderet efter, indtil de revideres.' }),
    message,
    form)
}
