// Indsend projekt (#/projects/new) and Revidér projekt (#/projects/<id>/edit): the same form, with
// a budget editor that sums the eligible and the total cost as the user types, and the gate's
// verdict on the draft (POST /v1/gate/preview) before anything is sent. A revision is sent with
// If-Match; when someone else has changed the project meanwhile (412) the page says who, when and
// what, and offers the new version. The form follows the owner's council: a regional project names
// its owner among 1–5 regions, a state project 0–5; the policy in force says when the council
// reviews and how many working days it has for a project or a programme.
import { api, ApiError, councils, idempotencyKey, organisations, policies, policyInForce, regions } from '../api.js'
import { h, uid } from '../dom.js'
import { formatDate, formatDateTime, formatDkk, formatNumber, parseDkk, todayInDenmark } from '../format.js'
import { BUDGET_CATEGORY, councilName, gateReason, NOT_GATED, orgName, PHASE, PROJECT_FIELD, PROJECT_KIND } from '../labels.js'
import { loadProject } from '../project-context.js'
import { errorBox, field, onSubmit, projectLead, radioGroup } from '../ui.js'

const MAX_AMOUNT_DKK = 10_000_000_000_000
const PREVIEW_DELAY_MS = 400

/**
 * @typedef {object} ProjectDraft
 * @property {string} title
 * @property {string} description
 * @property {string[]} participatingRegions
 * @property {string} phase
 * @property {Array<{ category: string, year: number, amountDkk: number }>} budgetLines
 * @property {string} plannedStart
 * @property {string} plannedEnd
 * @property {{ name: string, email: string }} contact
 * @property {boolean} reviewRequested
 * @property {{ financialDkk: number, description: string } | null} expectedBenefits null when not stated
 * @property {string} [kind] project or programme (at submission only: a revision keeps it)
 */

/** Organisations whose submitters submit projects (API.md: a known, active region or state authority). */
const SUBMITTING_KINDS = new Set(['region', 'state_authority'])

/**
 * The council's policy version in force today, or null when it cannot be read (the form works
 * without it; the API gates by it all the same).
 * @param {string} council
 */
async function policyToday (council) {
  try {
    return policyInForce(await policies(council), todayInDenmark())
  } catch {
    return null
  }
}

/** @param {import('../main.js').PageContext} ctx */
export async function newProjectPage (ctx) {
  const [regionNames, orgs, councilList] = await Promise.all([regions(), organisations(), councils()])
  const ownerOrg = ctx.session?.org ?? ''
  const owner = orgs.find((o) => o.code === ownerOrg)
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  if (!owner || !owner.active || !SUBMITTING_KINDS.has(owner.kind) || !owner.council) {
    return {
      title: 'Indsend projekt',
      content: [
        h('div', { class: 'notice' },
          h('p', { text: `${orgName(ownerOrg, names)} er ikke registreret som en aktiv region eller statslig myndighed, så du kan ikke indsende projekter herfra.` }),
          h('p', { text: 'En administrator registrerer statslige myndigheder under Statens It-råd. Kontakt rådets sekretariat.' })),
        h('p', {}, h('a', { href: '#/projects', text: 'Tilbage til Mine projekter' }))
      ]
    }
  }
  const council = owner.council
  const councilLabel = councilName(council, councilList)
  const editor = projectEditor({
    regionNames,
    names,
    ownerOrg,
    council,
    councilLabel,
    policy: await policyToday(council),
    initial: { participatingRegions: council === 'regions' && ownerOrg in regionNames ? [ownerOrg] : [], kind: 'project' },
    kindEditable: true,
    reviewRequestedEditable: true,
    submitText: 'Indsend projekt',
    cancelHref: '#/projects'
  })
  let sentBody = ''
  let key = ''
  onSubmit(editor.form, editor.message, () => {
    const { problems, draft } = editor.read()
    return {
      problems,
      send: async () => {
        // The same body is the same submission: a retry after a lost answer reuses the key, and the
        // API answers the project it already made instead of making another.
        const body = JSON.stringify(draft)
        if (body !== sentBody) {
          sentBody = body
          key = idempotencyKey()
        }
        const project = await api('/v1/projects', { method: 'POST', body: draft, headers: { 'idempotency-key': key } })
        ctx.navigate(`#/projects/${project.id}`, `Projektet er indsendt med referencen ${project.reference}.`)
      }
    }
  })
  return {
    title: 'Indsend projekt',
    content: [
      h('p', {
        text: council === 'regions'
          ? `Indsend et fælles regionalt it-projekt eller -program til ${councilLabel}. Gaten afgør ud fra budget og deltagende regioner, om rådet skal vurdere projektet; du ser dens vurdering, før du sender.`
          : `Indsend et it-projekt eller -program til ${councilLabel}. Gaten afgør ud fra budgettet, om rådet skal vurdere projektet; du ser dens vurdering, før du sender.`
      }),
      editor.element
    ]
  }
}

/** @param {import('../main.js').PageContext} ctx */
export async function editProjectPage (ctx) {
  const [loaded, regionNames, orgs, councilList] = await Promise.all([loadProject(ctx.params[0] ?? '', ctx.session), regions(), organisations(), councils()])
  const { project, etag } = loaded
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  if (!loaded.actions.includes('revise')) {
    return {
      title: 'Revidér projekt',
      content: [
        projectLead(project),
        h('p', { text: 'Projektet kan ikke revideres: kun projektets ejer kan revidere det, og ikke når det er trukket tilbage.' }),
        h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const editor = projectEditor({
    regionNames,
    names,
    ownerOrg: project.ownerOrg,
    council: project.council,
    councilLabel: councilName(project.council, councilList),
    // A revision is gated anew by the version in force today.
    policy: await policyToday(project.council),
    initial: project,
    kindEditable: false,
    reviewRequestedEditable: false,
    submitText: 'Gem ændringer',
    cancelHref: `#/projects/${project.id}`
  })
  onSubmit(editor.form, editor.message, () => {
    const { problems, draft } = editor.read()
    const changes = changedFields(project, draft)
    if (problems.length === 0 && Object.keys(changes).length === 0) {
      problems.push({ id: editor.firstId, message: 'Du har ikke ændret noget.' })
    }
    return {
      problems,
      send: async () => {
        const revised = await api(`/v1/projects/${project.id}`, { method: 'PATCH', body: changes, headers: { 'if-match': etag } })
        ctx.navigate(`#/projects/${revised.id}`, `Projektet er revideret. Det er nu version ${revised.version}.`)
      }
    }
  }, async (error) => {
    if (error instanceof ApiError && error.status === 412) return staleVersionBox(ctx, project, names)
    return errorBox(error)
  })
  return {
    title: 'Revidér projekt',
    content: [
      projectLead(project),
      h('p', { text: `Du reviderer version ${project.version}. En ændring bliver en ny baseline, og gaten vurderer projektet igen.` }),
      editor.element
    ]
  }
}

/**
 * The fields of `draft` that differ from the project: the body of the PATCH.
 * @param {any} project
 * @param {ProjectDraft} draft
 * @returns {Record<string, unknown>}
 */
function changedFields (project, draft) {
  /** @type {Record<string, unknown>} */
  const changes = {}
  const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b)
  for (const key of /** @type {const} */ (['title', 'description', 'phase', 'plannedStart', 'plannedEnd'])) {
    if (draft[key] !== project[key]) changes[key] = draft[key]
  }
  if (!same([...draft.participatingRegions].sort(), [...project.participatingRegions].sort())) changes.participatingRegions = draft.participatingRegions
  const lines = (/** @type {any[]} */ list) => list.map((l) => ({ category: l.category, year: l.year, amountDkk: l.amountDkk }))
  if (!same(lines(draft.budgetLines), lines(project.budgetLines))) changes.budgetLines = draft.budgetLines
  if (!same({ name: draft.contact.name, email: draft.contact.email }, { name: project.contact.name, email: project.contact.email })) changes.contact = draft.contact
  const benefits = (/** @type {any} */ b) => b ? { financialDkk: b.financialDkk, description: b.description } : null
  if (!same(benefits(draft.expectedBenefits), benefits(project.expectedBenefits))) changes.expectedBenefits = draft.expectedBenefits
  return changes
}

/**
 * After a 412: who changed the project, when and what (its latest revision in the history), and a
 * way to the form with the new version.
 * @param {import('../main.js').PageContext} ctx
 * @param {any} project the version the form was filled from
 * @param {Record<string, string>} names organisation names by code
 */
async function staleVersionBox (ctx, project, names) {
  const [current, history] = await Promise.all([
    api(`/v1/projects/${project.id}`),
    api(`/v1/projects/${project.id}/history`)
  ])
  const revision = [...history.items].reverse().find((/** @type {any} */ e) => e.type === 'itraad.project.revised')
  const changed = Array.isArray(revision?.data?.changedFields) ? revision.data.changedFields.map((/** @type {string} */ f) => PROJECT_FIELD[f] ?? f) : []
  const reload = h('button', { type: 'button', class: 'button-secondary' }, 'Indlæs den nye version')
  reload.addEventListener('click', () => ctx.navigate(location.hash, `Formularen viser nu version ${current.version}. Foretag dine ændringer igen.`))
  return h('div', { class: 'message message-error stale-version', role: 'alert', tabindex: '-1' },
    h('p', {}, h('strong', { text: 'Projektet er ændret, siden du åbnede formularen. ' }), 'Dine ændringer er ikke gemt.'),
    revision
      ? h('p', { text: `${revision.authid} (${orgName(revision.actororg, names)}) reviderede projektet ${formatDateTime(revision.time)}, så det nu er version ${current.version}.` })
      : h('p', { text: `Projektet er nu version ${current.version} (du tog udgangspunkt i version ${project.version}).` }),
    changed.length > 0 ? h('p', { text: `Ændret: ${changed.join(', ')}.` }) : null,
    h('p', { text: 'Indlæs formularen med den nye version, og foretag dine ændringer igen.' }),
    h('p', {}, reload))
}

/**
 * What the council's policy in force says of the draft: its name, when the council reviews, and
 * the working days it has for the chosen kind.
 * @param {import('../api.js').Policy | null} policy
 * @param {string} councilLabel
 * @param {string} kind project or programme
 */
function policyText (policy, councilLabel, kind) {
  if (!policy) return `${councilLabel}s regelsæt kan ikke vises lige nu; gaten vurderer projektet efter det regelsæt, der gælder, når det sendes.`
  // The amount ends the sentence: "… mindst 15.000.000 kr."
  const rule = policy.rule.requireAllRegions
    ? `rådet vurderer projekter, når alle fem regioner deltager, og de medregnede omkostninger er mindst ${formatDkk(policy.rule.minEligibleCostDkk)}`
    : `rådet vurderer projekter, når de medregnede omkostninger er mindst ${formatDkk(policy.rule.minEligibleCostDkk)}`
  const days = kind === 'programme' ? policy.reviewWorkingDays.programme : policy.reviewWorkingDays.project
  const what = kind === 'programme' ? 'et program' : 'et projekt'
  return `${councilLabel} gater efter regelsæt ${policy.id} (version ${policy.version}), der gælder fra ${formatDate(policy.effectiveFrom)}: ` +
    `${rule} Skal rådet vurdere ${what}, har det ${days} arbejdsdage fra indsendelsen til anbefalingsbrevet.`
}

/**
 * The project form. `read()` gives the draft and the problems with it, each naming the control.
 * @param {{ regionNames: Record<string, string>, names: Record<string, string>, ownerOrg: string, council: string,
 *   councilLabel: string, policy: import('../api.js').Policy | null, initial: any, kindEditable: boolean,
 *   reviewRequestedEditable: boolean, submitText: string, cancelHref: string }} options
 */
function projectEditor ({ regionNames, names, ownerOrg, council, councilLabel, policy, initial, kindEditable, reviewRequestedEditable, submitText, cancelHref }) {
  const message = h('div', { class: 'message-slot' })
  const title = /** @type {HTMLInputElement} */ (h('input', { id: 'project-title', name: 'title', maxlength: '200', autocomplete: 'off', value: initial.title ?? '' }))
  const description = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'project-description', name: 'description', rows: '6', maxlength: '10000' }))
  description.value = initial.description ?? ''

  // Projekt or Program: chosen at submission, fixed afterwards (a revision cannot change it).
  const kindGroup = kindEditable
    ? radioGroup({
      name: 'kind',
      legend: 'Type',
      help: 'Et program samler flere projekter om et fælles mål. Typen afgør, hvor mange arbejdsdage rådet har til sin vurdering.',
      options: Object.entries(PROJECT_KIND).map(([value, label]) => ({ value, label }))
    })
    : null
  const kindInput = (/** @type {string} */ value) => /** @type {HTMLInputElement | null} */ (kindGroup?.querySelector(`input[value="${value}"]`) ?? null)
  const initialKind = initial.kind === 'programme' ? 'programme' : 'project'
  const initialKindInput = kindInput(initialKind)
  if (initialKindInput) initialKindInput.checked = true
  const chosenKind = () => kindEditable ? (/** @type {HTMLInputElement | null} */ (kindGroup?.querySelector('input:checked'))?.value ?? 'project') : initialKind

  // A regional project names its owner among 1–5 regions; a state project may name none (API.md).
  const regional = council === 'regions'
  const ownerIsRegion = regional && ownerOrg in regionNames
  const regionChecks = Object.entries(regionNames).map(([code, name]) => {
    const id = `project-region-${code}`
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id, name: 'participatingRegions', value: code, checked: (initial.participatingRegions ?? []).includes(code) }))
    return { input, element: h('div', { class: 'choice' }, input, h('label', { for: id, text: name })) }
  })
  const regionsHelpId = uid('regions-help')
  const regionsHelp = regional
    ? `${ownerIsRegion ? `${orgName(ownerOrg, names)} ejer projektet og skal derfor deltage; regionen er valgt på forhånd. ` : ''}Vælg 1–5 regioner. ` +
      (policy?.rule.requireAllRegions
        ? `Rådet skal vurdere projekter med alle fem regioner og mindst ${formatDkk(policy.rule.minEligibleCostDkk)} i medregnede omkostninger.`
        : '')
    : `Valgfrit: vælg de regioner, der deltager (0–5). ${councilLabel} kræver ikke, at regioner deltager.`
  const regionGroup = h('fieldset', { class: 'group', 'aria-describedby': regionsHelpId },
    h('legend', {}, 'Deltagende regioner', regional ? h('span', { class: 'required', text: ' (skal udfyldes)' }) : h('span', { class: 'optional', text: ' (valgfrit)' })),
    h('p', { class: 'help', id: regionsHelpId, text: regionsHelp.trim() }),
    h('div', { class: 'choices' }, regionChecks.map((c) => c.element)))

  const phase = /** @type {HTMLSelectElement} */ (h('select', { id: 'project-phase', name: 'phase' },
    h('option', { value: '', text: 'Vælg fase' }),
    Object.entries(PHASE).map(([value, label]) => h('option', { value, text: label, selected: value === initial.phase }))))
  const start = /** @type {HTMLInputElement} */ (h('input', { type: 'date', id: 'project-start', name: 'plannedStart', min: '2000-01-01', max: '2100-12-31', value: initial.plannedStart ?? '' }))
  const end = /** @type {HTMLInputElement} */ (h('input', { type: 'date', id: 'project-end', name: 'plannedEnd', min: '2000-01-01', max: '2100-12-31', value: initial.plannedEnd ?? '' }))
  const contactName = /** @type {HTMLInputElement} */ (h('input', { id: 'project-contact-name', name: 'contactName', maxlength: '200', autocomplete: 'name', value: initial.contact?.name ?? '' }))
  const contactEmail = /** @type {HTMLInputElement} */ (h('input', { type: 'email', id: 'project-contact-email', name: 'contactEmail', maxlength: '254', autocomplete: 'email', value: initial.contact?.email ?? '' }))
  const reviewRequested = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'project-review-requested', name: 'reviewRequested', checked: initial.reviewRequested === true }))
  const initialBenefits = /** @type {any} */ (initial).expectedBenefits ?? null
  const benefitsAmount = /** @type {HTMLInputElement} */ (h('input', { id: 'project-benefits-amount', name: 'expectedFinancialBenefits', inputmode: 'numeric', autocomplete: 'off', class: 'input-amount', value: initialBenefits ? formatNumber(initialBenefits.financialDkk) : '' }))
  const benefitsDescription = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'project-benefits-description', name: 'expectedBenefitsDescription', rows: '3', maxlength: '5000' }))
  benefitsDescription.value = initialBenefits?.description ?? ''

  const budget = budgetEditor(initial.budgetLines ?? [])
  const policyInfo = h('p', { class: 'policy-info', id: 'policy-info', 'aria-live': 'polite' })
  const showPolicy = () => { policyInfo.textContent = policyText(policy, councilLabel, chosenKind()) }
  showPolicy()
  const preview = gatePreview(names, policyInfo, regional
    ? 'Gatens vurdering vises, når mindst én region er valgt og alle budgetlinjer har år og beløb.'
    : 'Gatens vurdering vises, når alle budgetlinjer har år og beløb.')

  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true, class: 'project-form' },
    message,
    field('Titel', title, { required: true }),
    field('Beskrivelse', description, { required: true, help: 'Formål, indhold og forventede gevinster.' }),
    kindGroup ?? h('p', {}, h('strong', { text: 'Type: ' }), PROJECT_KIND[initialKind] ?? initialKind, ' (kan ikke ændres ved en revision).'),
    regionGroup,
    field('Fase', phase, { required: true }),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Planlagt periode' }),
      h('div', { class: 'field-row' },
        field('Planlagt start', start, { required: true }),
        field('Planlagt slut', end, { required: true }))),
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Kontaktperson' }),
      h('div', { class: 'field-row' },
        field('Navn', contactName, { required: true }),
        field('E-mail', contactEmail, { required: true }))),
    reviewRequestedEditable
      ? h('div', { class: 'field field-checkbox' }, reviewRequested,
        h('label', { for: reviewRequested.id, text: 'Projektet beder om rådets vurdering, også hvis gaten ikke kræver det' }))
      : initial.reviewRequested === true ? h('p', { text: 'Projektet har bedt om rådets vurdering, også hvis gaten ikke kræver det.' }) : null,
    budget.element,
    preview.element,
    h('fieldset', { class: 'group' },
      h('legend', { text: 'Forventede gevinster (valgfri)' }),
      h('p', { class: 'help', text: 'Udfyld begge felter eller ingen af dem. Rådet følger op på de økonomiske gevinster i statusrapporterne.' }),
      field('Økonomiske gevinster i kr.', benefitsAmount, { help: 'I hele kroner, fx 2.000.000. Skriv 0, hvis projektet ikke forventer økonomiske gevinster.' }),
      field('Beskriv gevinsterne', benefitsDescription, { help: 'De økonomiske og ikke-økonomiske gevinster med ord.' })),
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: submitText }),
      h('a', { href: cancelHref, class: 'button button-secondary', text: 'Annullér' }))))

  /** The draft as it stands, and what is wrong with it. */
  function read () {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    const participatingRegions = regionChecks.filter((c) => c.input.checked).map((c) => c.input.value)
    const lines = budget.read()
    if (!title.value.trim()) problems.push({ id: title.id, message: 'Skriv projektets titel.' })
    if (!description.value.trim()) problems.push({ id: description.id, message: 'Skriv en beskrivelse af projektet.' })
    const firstRegion = regionChecks[0]?.input.id ?? ''
    if (regional && participatingRegions.length === 0) problems.push({ id: firstRegion, message: 'Vælg mindst én deltagende region.' })
    else if (ownerIsRegion && !participatingRegions.includes(ownerOrg)) {
      problems.push({ id: `project-region-${ownerOrg}`, message: `${orgName(ownerOrg, names)} skal være blandt de deltagende regioner.` })
    }
    if (!phase.value) problems.push({ id: phase.id, message: 'Vælg projektets fase.' })
    if (!start.value) problems.push({ id: start.id, message: 'Angiv den planlagte start.' })
    if (!end.value) problems.push({ id: end.id, message: 'Angiv den planlagte slutdato.' })
    else if (start.value && end.value < start.value) problems.push({ id: end.id, message: 'Den planlagte slutdato skal ligge på eller efter starten.' })
    if (!contactName.value.trim()) problems.push({ id: contactName.id, message: 'Skriv kontaktpersonens navn.' })
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail.value.trim())) problems.push({ id: contactEmail.id, message: 'Skriv kontaktpersonens e-mailadresse, fx navn@region.dk.' })
    problems.push(...lines.problems)
    const amountText = benefitsAmount.value.trim()
    const benefitsText = benefitsDescription.value.trim()
    const financialDkk = amountText === '' ? null : parseDkk(amountText)
    if (amountText !== '' && (financialDkk === null || financialDkk > MAX_AMOUNT_DKK)) {
      problems.push({ id: benefitsAmount.id, message: 'Angiv de forventede økonomiske gevinster i hele kroner, fx 2.000.000.' })
    } else if (amountText === '' && benefitsText !== '') {
      problems.push({ id: benefitsAmount.id, message: 'Angiv de forventede økonomiske gevinster i kr., når gevinsterne er beskrevet (0, hvis der ingen er).' })
    } else if (amountText !== '' && benefitsText === '') {
      problems.push({ id: benefitsDescription.id, message: 'Beskriv de forventede gevinster, når der er angivet et beløb.' })
    }
    /** @type {ProjectDraft} */
    const draft = {
      title: title.value.trim(),
      description: description.value.trim(),
      participatingRegions,
      phase: phase.value,
      budgetLines: lines.lines,
      plannedStart: start.value,
      plannedEnd: end.value,
      contact: { name: contactName.value.trim(), email: contactEmail.value.trim() },
      reviewRequested: reviewRequestedEditable ? reviewRequested.checked : initial.reviewRequested === true,
      expectedBenefits: financialDkk !== null && benefitsText !== '' ? { financialDkk, description: benefitsText } : null
    }
    if (kindEditable) draft.kind = chosenKind()
    return { problems, draft }
  }

  /** Sums, the policy's working days and the gate's verdict follow every change to what they read. */
  function changed () {
    budget.showSums()
    showPolicy()
    const lines = budget.read()
    const participatingRegions = regionChecks.filter((c) => c.input.checked).map((c) => c.input.value)
    preview.schedule(lines.problems.length === 0 && lines.lines.length > 0 && (!regional || participatingRegions.length > 0)
      ? {
          participatingRegions,
          budgetLines: lines.lines,
          reviewRequested: reviewRequestedEditable ? reviewRequested.checked : initial.reviewRequested === true
        }
      : null)
  }
  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  budget.onRemove(changed)
  changed()

  return { element: form, form, message, read, firstId: title.id }
}

/**
 * Budget lines: category, year and amount per line, added and removed, with the eligible cost
 * (without operations and interest) and the total cost summed as the user types.
 * @param {Array<{ category: string, year: number, amountDkk: number }>} initial
 */
function budgetEditor (initial) {
  const list = h('div', { class: 'budget-lines' })
  const status = h('p', { class: 'visually-hidden', role: 'status' })
  const eligible = h('dd', { id: 'budget-eligible', class: 'number' })
  const total = h('dd', { id: 'budget-total', class: 'number' })
  const incomplete = h('p', { class: 'help', hidden: true, text: 'Linjer uden gyldigt beløb tælles ikke med.' })
  /** @type {Array<() => void>} */
  const removed = []

  /** @param {{ category: string, year: number, amountDkk: number }} [value] */
  function addRow (value) {
    const categoryId = uid('budget-category')
    const yearId = uid('budget-year')
    const amountId = uid('budget-amount')
    const noteId = uid('budget-note')
    const category = /** @type {HTMLSelectElement} */ (h('select', { id: categoryId, name: 'category', 'aria-describedby': noteId },
      Object.entries(BUDGET_CATEGORY).map(([key, label]) => h('option', { value: key, text: label, selected: key === value?.category }))))
    const year = /** @type {HTMLInputElement} */ (h('input', { id: yearId, name: 'year', inputmode: 'numeric', maxlength: '4', size: '5', autocomplete: 'off', value: value ? String(value.year) : '' }))
    const amount = /** @type {HTMLInputElement} */ (h('input', { id: amountId, name: 'amountDkk', inputmode: 'numeric', maxlength: '24', size: '16', autocomplete: 'off', value: value ? formatDkk(value.amountDkk).replace(/ kr\.$/, '') : '' }))
    const note = h('p', { class: 'help', id: noteId })
    const showNote = () => { note.textContent = NOT_GATED.has(category.value) ? 'Medregnes ikke i gaten.' : 'Medregnes i gaten.' }
    category.addEventListener('change', showNote)
    showNote()
    const remove = h('button', { type: 'button', class: 'button-secondary' }, 'Fjern')
    const row = h('fieldset', { class: 'budget-line' },
      h('legend', { text: 'Budgetlinje' }),
      h('div', { class: 'field' }, h('label', { for: categoryId, text: 'Kategori' }), category, note),
      h('div', { class: 'field' }, h('label', { for: yearId, text: 'År' }), year),
      h('div', { class: 'field' }, h('label', { for: amountId, text: 'Beløb (kr.)' }), amount),
      remove)
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling ?? row.previousElementSibling
      const number = [...list.children].indexOf(row) + 1
      row.remove()
      renumber()
      status.textContent = `Budgetlinje ${number} er fjernet.`
      const target = next?.querySelector('select') ?? add
      target.focus()
      for (const listener of removed) listener()
    })
    list.append(row)
    renumber()
    return category
  }

  function renumber () {
    const rows = [...list.children]
    rows.forEach((row, i) => {
      const legend = row.querySelector('legend')
      if (legend) legend.textContent = `Budgetlinje ${i + 1}`
      const button = /** @type {HTMLButtonElement | null} */ (row.querySelector('button'))
      if (button) {
        button.setAttribute('aria-label', `Fjern budgetlinje ${i + 1}`)
        // The last line stays: a project has at least one.
        button.hidden = rows.length === 1
      }
    })
  }

  const add = h('button', { type: 'button', class: 'button-secondary' }, 'Tilføj budgetlinje')
  add.addEventListener('click', () => {
    addRow().focus()
    status.textContent = `Budgetlinje ${list.children.length} er tilføjet.`
  })

  for (const value of initial) addRow(value)
  if (initial.length === 0) addRow()

  /**
   * @returns {{ lines: Array<{ category: string, year: number, amountDkk: number }>, problems: Array<{ id: string, message: string }>, partial: Array<{ category: string, amountDkk: number }> }}
   */
  function read () {
    /** @type {Array<{ category: string, year: number, amountDkk: number }>} */
    const lines = []
    /** @type {Array<{ category: string, amountDkk: number }>} */
    const partial = []
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    ;[...list.children].forEach((row, i) => {
      const category = /** @type {HTMLSelectElement} */ (row.querySelector('select'))
      const [year, amount] = /** @type {HTMLInputElement[]} */ ([...row.querySelectorAll('input')])
      if (!year || !amount) return
      const yearValue = /^\d{4}$/.test(year.value.trim()) ? Number(year.value.trim()) : NaN
      const amountValue = parseDkk(amount.value)
      if (!(yearValue >= 2000 && yearValue <= 2100)) problems.push({ id: year.id, message: `Angiv et år mellem 2000 og 2100 i budgetlinje ${i + 1}.` })
      if (amountValue === null || amountValue > MAX_AMOUNT_DKK) problems.push({ id: amount.id, message: `Angiv beløbet i budgetlinje ${i + 1} i hele kroner, fx 6.000.000.` })
      else partial.push({ category: category.value, amountDkk: amountValue })
      if (amountValue !== null && amountValue <= MAX_AMOUNT_DKK && yearValue >= 2000 && yearValue <= 2100) {
        lines.push({ category: category.value, year: yearValue, amountDkk: amountValue })
      }
    })
    return { lines, problems, partial }
  }

  function showSums () {
    const { partial } = read()
    eligible.textContent = formatDkk(partial.filter((l) => !NOT_GATED.has(l.category)).reduce((sum, l) => sum + l.amountDkk, 0))
    total.textContent = formatDkk(partial.reduce((sum, l) => sum + l.amountDkk, 0))
    incomplete.hidden = partial.length === list.children.length
  }

  const element = h('fieldset', { class: 'group budget' },
    h('legend', {}, 'Budget', h('span', { class: 'required', text: ' (skal udfyldes)' })),
    h('p', { class: 'help', text: 'Beløb i hele kroner. Drift efter idriftsættelse og renter medregnes ikke i gaten.' }),
    list,
    add,
    status,
    h('dl', { class: 'facts budget-sums' },
      h('dt', { text: 'Medregnede omkostninger (uden drift og renter)' }), eligible,
      h('dt', { text: 'Samlede omkostninger' }), total),
    incomplete)

  return { element, read, showSums, onRemove: (/** @type {() => void} */ listener) => removed.push(listener) }
}

/**
 * The gate's verdict on the draft, asked of the API a moment after the last change (a draft
 * the API refuses as incomplete, 400, is not an error here: the verdict waits for it). A refusal
 * of the draft itself (403: the organisation may not submit; 422: the regions rule) is said with
 * the API's own Danish detail.
 * @param {Record<string, string>} names organisation names by code
 * @param {HTMLElement} policyInfo the policy in force, shown above the verdict
 * @param {string} waiting what the section says while the draft is incomplete
 */
function gatePreview (names, policyInfo, waiting) {
  const output = h('div', { class: 'gate-preview-result', 'aria-live': 'polite' })
  output.append(h('p', { class: 'muted', text: waiting }))
  /** @type {number | undefined} */
  let timer
  let asked = 0
  let lastBody = ''

  /** @param {any} verdict */
  function show (verdict) {
    output.replaceChildren(
      h('p', { class: verdict.reviewRequired ? 'gate gate-required' : 'gate' },
        h('strong', { text: verdict.reviewRequired ? 'Projektet skal vurderes af rådet.' : 'Projektet skal ikke vurderes af rådet.' })),
      h('ul', {}, verdict.reasons.map((/** @type {string} */ r) => h('li', { text: gateReason(r, names) }))),
      h('p', { class: 'meta', text: `Efter regelsæt ${verdict.policy} (version ${verdict.policyVersion}). Vurderingen gælder udkastet; gaten vurderer projektet igen, når det sendes.` }))
  }

  /** @param {string} text */
  function say (text) {
    output.replaceChildren(h('p', { class: 'muted', text }))
  }

  /** @param {string} detail the API's reason, in Danish */
  function refused (detail) {
    output.replaceChildren(h('div', { class: 'message message-notice gate-refused' },
      h('p', {}, h('strong', { text: 'Gaten kan ikke vurdere udkastet: ' }), detail),
      h('p', { text: 'Ret udkastet; projektet kan ikke sendes, som det er.' })))
  }

  /** @param {object | null} body null while the draft is incomplete */
  function schedule (body) {
    // A checkbox fires both input and change: the same draft twice keeps the call under way.
    const json = body === null ? '' : JSON.stringify(body)
    if (json === lastBody) return
    lastBody = json
    window.clearTimeout(timer)
    const ask = ++asked
    if (body === null) {
      say(waiting)
      return
    }
    timer = window.setTimeout(async () => {
      try {
        const verdict = await api('/v1/gate/preview', { method: 'POST', body })
        if (ask === asked) show(verdict)
      } catch (error) {
        if (ask !== asked) return
        if (error instanceof ApiError && error.status === 400) say(waiting)
        else if (error instanceof ApiError && (error.status === 403 || error.status === 409 || error.status === 422) && error.problem?.detail) refused(error.problem.detail)
        else say('Gatens vurdering kan ikke vises lige nu. Du kan stadig sende projektet.')
      }
    }, PREVIEW_DELAY_MS)
  }

  const element = h('section', { class: 'gate-preview', 'aria-labelledby': 'gate-preview-heading' },
    h('h2', { id: 'gate-preview-heading', text: 'Gatens vurdering af udkastet' }),
    policyInfo,
    output)
  return { element, schedule }
}
