// Building blocks shared by the pages.
import { ApiError, download } from './api.js'
import { append, h, uid } from './dom.js'
import { formatDate, formatDateTime, formatDkk, isOverdue } from './format.js'
import { deviationText, DIMENSION_LABEL, DIMENSIONS, fieldLabel, LIGHT, orgName, profileText, SCORE, STATUS } from './labels.js'

/** @type {Record<number, string>} */
const STATUS_EXPLANATION = {
  0: 'Der er ingen forbindelse til serveren.',
  400: 'Oplysningerne blev afvist.',
  401: 'Du er ikke logget ind, eller dit login er udløbet.',
  403: 'Din rolle giver ikke adgang til denne handling.',
  404: 'Det findes ikke, eller du har ikke adgang til det.',
  409: 'Sagens nuværende tilstand tillader ikke handlingen.',
  413: 'Oplysningerne fylder for meget.',
  429: 'Der er sendt for mange forespørgsler. Vent lidt, og prøv igen.',
  503: 'Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.'
}

/**
 * An error box that says what went wrong, in Danish context, with the API's own detail.
 * `explanation` replaces the status's general sentence (null: none; the detail says it all).
 * @param {unknown} error
 * @param {{ explanation?: string | null }} [options]
 */
export function errorBox (error, options = {}) {
  const box = h('div', { class: 'message message-error', role: 'alert', tabindex: '-1' })
  if (error instanceof ApiError) {
    const explanation = options.explanation !== undefined
      ? options.explanation
      : STATUS_EXPLANATION[error.status] ?? (error.status >= 500 ? 'Der opstod en fejl på serveren.' : '')
    append(box, [
      h('p', {}, h('strong', { text: 'Fejl: ' }), error.problem?.detail ?? error.message),
      explanation ? h('p', { text: explanation }) : null
    ])
    const fieldErrors = error.problem?.errors ?? []
    if (fieldErrors.length > 0) {
      // The field as people know it ("Budgetlinje 1, beløb"); the pointer only when unknown.
      box.append(h('ul', {}, fieldErrors.map((e) => {
        const label = fieldLabel(e.path)
        return h('li', {}, label ? h('strong', { text: `${label}:` }) : e.path ? h('code', { text: e.path }) : null, ` ${e.message}`)
      })))
    }
  } else {
    box.append(h('p', {}, h('strong', { text: 'Fejl: ' }), error instanceof Error ? error.message : String(error)))
  }
  return box
}

/**
 * A confirmation after an action (shown at the top of the next page).
 * @param {string} text
 */
export function successBox (text) {
  return h('div', { class: 'message message-success', role: 'status' }, h('p', { text }))
}

/**
 * Information that is neither a success nor an error (an expired login).
 * @param {string} text
 */
export function noticeBox (text) {
  return h('div', { class: 'message message-notice', role: 'status', tabindex: '-1' }, h('p', { text }))
}

/**
 * A table in a box that scrolls sideways on narrow screens; the box takes keyboard focus so that
 * it can be scrolled without a mouse.
 * @param {string} label what the table shows (its caption)
 * @param {HTMLElement} table
 */
export function scrollableTable (label, table) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: '0' }, table)
}

/** @param {string} status */
export function statusBadge (status) {
  return h('span', { class: `badge badge-${status}`, text: STATUS[status] ?? status })
}

/**
 * The due date, and "Overskredet" in words (with an icon) when it has passed: never colour alone.
 * @param {{ status: string, assessmentDueOn?: string | null }} project
 */
export function dueDate (project) {
  const overdue = isOverdue(project)
  return h('span', { class: overdue ? 'due due-overdue' : 'due' },
    formatDate(project.assessmentDueOn),
    overdue ? h('span', { class: 'badge badge-overdue' }, h('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }), 'Overskredet') : null)
}

/** @type {Record<string, string>} */
const LIGHT_SHAPE = { green: '●', yellow: '▲', red: '■' }

/**
 * A traffic light as a coloured shape and its name: the word carries the meaning.
 * @param {string | null | undefined} light
 */
export function trafficLight (light) {
  if (!light) return h('span', { class: 'light light-none', text: 'Ikke angivet' })
  return h('span', { class: `light light-${light}` },
    h('span', { class: 'light-shape', 'aria-hidden': 'true', text: LIGHT_SHAPE[light] ?? '' }),
    LIGHT[light] ?? light)
}

/**
 * A definition list from [term, description] pairs.
 * @param {Array<[string, import('./dom.js').Child]>} rows
 */
export function facts (rows) {
  return h('dl', { class: 'facts' }, rows.map(([term, description]) => [h('dt', { text: term }), h('dd', {}, description)]))
}

/**
 * A labelled form control with optional help text and an error slot.
 * @param {string} label
 * @param {HTMLElement} control
 * @param {{ help?: string, required?: boolean }} [options]
 */
export function field (label, control, options = {}) {
  const id = control.id || uid('field')
  control.id = id
  const helpId = options.help ? `${id}-help` : null
  if (helpId) control.setAttribute('aria-describedby', helpId)
  if (options.required) control.setAttribute('aria-required', 'true')
  return h('div', { class: 'field' },
    h('label', { for: id }, label, options.required ? h('span', { class: 'required', text: ' (skal udfyldes)' }) : null),
    helpId ? h('p', { class: 'help', id: helpId, text: options.help }) : null,
    control)
}

/**
 * An editable list of recommendations: area (one of the seven dimensions) and text.
 * @param {{ legend: string, initial?: Array<{ category: string, text: string }> }} options
 * @returns {{ element: HTMLElement, values: () => Array<{ category: string, text: string }> }}
 */
export function recommendationsEditor ({ legend, initial = [] }) {
  const list = h('ol', { class: 'recommendations' })
  const status = h('p', { class: 'visually-hidden', role: 'status' })

  /** @param {{ category: string, text: string }} [value] */
  function addRow (value) {
    const categoryId = uid('rec-category')
    const textId = uid('rec-text')
    const select = /** @type {HTMLSelectElement} */ (h('select', { id: categoryId, name: 'category' },
      DIMENSIONS.map((d) => h('option', { value: d.key, text: d.label }))))
    if (value) {
      // A category from elsewhere (the API takes free text) stays as it is.
      if (!DIMENSIONS.some((d) => d.key === value.category)) select.append(h('option', { value: value.category, text: value.category }))
      select.value = value.category
    }
    const textarea = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: textId, name: 'text', rows: '2', maxlength: '4000' }))
    if (value) textarea.value = value.text
    const remove = h('button', { type: 'button', class: 'button-secondary' }, 'Fjern')
    const row = h('li', { class: 'recommendation' },
      h('div', { class: 'field' }, h('label', { for: categoryId, text: 'Område' }), select),
      h('div', { class: 'field field-grow' }, h('label', { for: textId, text: 'Anbefaling' }), textarea),
      remove)
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling ?? row.previousElementSibling
      row.remove()
      renumber()
      status.textContent = 'Anbefalingen er fjernet.'
      const focusTarget = next?.querySelector('textarea') ?? add
      focusTarget.focus()
    })
    list.append(row)
    renumber()
    return textarea
  }

  function renumber () {
    let n = 0
    for (const row of list.children) {
      n += 1
      const button = row.querySelector('button')
      if (button) button.setAttribute('aria-label', `Fjern anbefaling ${n}`)
    }
  }

  const add = h('button', { type: 'button', class: 'button-secondary' }, 'Tilføj anbefaling')
  add.addEventListener('click', () => {
    addRow().focus()
    status.textContent = `Anbefaling ${list.children.length} er tilføjet.`
  })

  for (const value of initial) addRow(value)
  if (initial.length === 0) addRow()

  const help = initial.length > 0
    ? 'Rådsmedlemmernes anbefalinger er sat ind som udgangspunkt; ret eller fjern dem. Tomme anbefalinger sendes ikke med.'
    : 'Tomme anbefalinger sendes ikke med.'
  const element = h('fieldset', { class: 'group' },
    h('legend', { text: legend }),
    h('p', { class: 'help', text: help }),
    list, add, status)

  return {
    element,
    values: () => [...list.querySelectorAll('li')].map((row) => ({
      category: /** @type {HTMLSelectElement} */ (row.querySelector('select')).value,
      text: /** @type {HTMLTextAreaElement} */ (row.querySelector('textarea')).value.trim()
    })).filter((r) => r.text !== '')
  }
}

/**
 * A group of radio buttons in a fieldset with a legend.
 * @param {{ name: string, legend: string, help?: string, options: Array<{ value: string, label: string }>, required?: boolean }} options
 */
export function radioGroup ({ name, legend, help, options, required = true }) {
  const helpId = help ? uid(`${name}-help`) : null
  return h('fieldset', { class: 'group radio-group', 'aria-describedby': helpId },
    h('legend', {}, legend, required ? h('span', { class: 'required', text: ' (skal udfyldes)' }) : null),
    help && helpId ? h('p', { class: 'help', id: helpId, text: help }) : null,
    h('div', { class: 'choices' }, options.map((option) => {
      const id = uid(`${name}-${option.value}`)
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', id, name, value: option.value, required }),
        h('label', { for: id, text: option.label }))
    })))
}

/**
 * A list of problems with the form before it is sent, each linking to its field.
 * @param {Array<{ id: string, message: string }>} problems
 */
export function validationSummary (problems) {
  return h('div', { class: 'message message-error', role: 'alert', tabindex: '-1' },
    h('p', {}, h('strong', { text: 'Fejl: ' }), 'Formularen er ikke udfyldt korrekt.'),
    h('ul', {}, problems.map((p) => h('li', {}, h('a', {
      href: `#${p.id}`,
      onclick: (/** @type {Event} */ event) => {
        // Not a route: move focus to the field instead of changing the hash.
        event.preventDefault()
        document.getElementById(p.id)?.focus()
      }
    }, p.message)))))
}

/**
 * Shows `box` in `slot` and moves focus to it, so the message is read out and found.
 * @param {HTMLElement} slot
 * @param {HTMLElement} box
 */
export function showMessage (slot, box) {
  // The confirmation of the previous action (shown under the heading) no longer applies.
  for (const old of document.querySelectorAll('#main > .message-success, #main > .message-notice')) old.remove()
  slot.replaceChildren(box)
  box.focus()
}

/** @param {HTMLElement} group */
export function firstRadioId (group) {
  return group.querySelector('input')?.id ?? ''
}

/**
 * aria-invalid on exactly the controls named in `problems`.
 * @param {HTMLFormElement} form
 * @param {Array<{ id: string }>} problems
 */
export function markInvalid (form, problems) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid')
  for (const problem of problems) {
    const el = document.getElementById(problem.id)
    if (!el) continue
    const group = el.closest('fieldset.radio-group')
    if (group) {
      for (const input of group.querySelectorAll('input')) input.setAttribute('aria-invalid', 'true')
    } else {
      el.setAttribute('aria-invalid', 'true')
    }
  }
}

/**
 * The line naming the project a page works on, linking back to it.
 * @param {any} project
 */
export function projectLead (project) {
  return h('p', { class: 'lead' }, 'Projekt: ', h('a', { href: `#/projects/${project.id}`, text: `${project.title} (${project.reference})` }), ' ', statusBadge(project.status))
}

/**
 * A choice of risk profile, A (very high) to D (low).
 * @param {{ name: string, legend: string, help: string }} options
 */
export function profileChoice ({ name, legend, help }) {
  return radioGroup({ name, legend, help, options: ['A', 'B', 'C', 'D'].map((p) => ({ value: p, label: profileText(p) })) })
}

/**
 * Sends a form the same way on every page: `prepare()` lists the problems, shown as a summary
 * with each control marked, or gives `send`; while it is under way the submit button is disabled,
 * and a refusal is shown in `slot`.
 * `explain` may turn a refusal into a message of its own (a stale version: who changed it).
 * @param {HTMLFormElement} form
 * @param {HTMLElement} slot
 * @param {() => { problems: Array<{ id: string, message: string }>, send: () => Promise<void> }} prepare
 * @param {(error: unknown) => Promise<HTMLElement>} [explain]
 */
export function onSubmit (form, slot, prepare, explain = async (error) => errorBox(error)) {
  // A control the user changes is no longer marked invalid (the summary stays until the next try).
  const clear = (/** @type {Event} */ event) => {
    const control = /** @type {Element} */ (event.target)
    const group = control.closest('fieldset.radio-group')
    for (const el of group ? group.querySelectorAll('input') : [control]) el.removeAttribute('aria-invalid')
  }
  form.addEventListener('input', clear)
  form.addEventListener('change', clear)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const { problems, send } = prepare()
    markInvalid(form, problems)
    if (problems.length > 0) {
      showMessage(slot, validationSummary(problems))
      return
    }
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'))
    submit.disabled = true
    try {
      await send()
    } catch (error) {
      submit.disabled = false
      showMessage(slot, await explain(error).catch(() => errorBox(error)))
    }
  })
}

/**
 * The council's recommendation letter, read-only.
 * @param {any} project
 * @param {any} letter the full letter, or null when only the summary on the project is visible
 */
export function letterView (project, letter) {
  if (!project.letter) return null
  const profile = letter?.riskProfile ?? project.letter.riskProfile
  return h('section', { class: 'letter', 'aria-labelledby': 'letter-heading' },
    h('h2', { id: 'letter-heading', text: 'Anbefalingsbrev' }),
    h('p', { class: 'risk-profile' }, 'Risikoprofil: ', h('strong', { class: `profile profile-${profile}`, text: profileText(profile) })),
    h('p', { text: `Udsendt ${formatDateTime(letter?.issuedAt ?? project.letter.issuedAt)}` }),
    letter
      ? [
          h('h3', { text: 'Rådets udtalelse' }),
          h('p', { class: 'prose', text: letter.statement }),
          h('h3', { text: 'Anbefalinger' }),
          letter.recommendations.length === 0
            ? h('p', { text: 'Rådet har ingen konkrete anbefalinger.' })
            : h('ol', {}, letter.recommendations.map((/** @type {any} */ r) =>
              h('li', {}, h('strong', { text: `${DIMENSION_LABEL[r.category] ?? r.category}: ` }), r.text))),
          h('p', { text: letter.externalReviewRecommended ? 'Rådet anbefaler et eksternt review.' : 'Rådet anbefaler ikke et eksternt review.' }),
          letterPdfButton(project)
        ]
      : null)
}

/**
 * "Hent brev som PDF": the letter as the API renders it (Accept: application/pdf), downloaded
 * through the session's token; a refusal is shown next to the button.
 * @param {any} project
 */
function letterPdfButton (project) {
  const slot = h('div', { class: 'message-slot' })
  const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'button-secondary', text: 'Hent brev som PDF' }))
  button.addEventListener('click', async () => {
    button.disabled = true
    try {
      await download(`/v1/projects/${project.id}/letter`, { accept: 'application/pdf', filename: `anbefalingsbrev-${project.reference}.pdf` })
      slot.replaceChildren()
    } catch (error) {
      showMessage(slot, errorBox(error))
    } finally {
      button.disabled = false
    }
  })
  return h('div', { class: 'letter-download' }, h('p', { class: 'button-row' }, button), slot)
}

/**
 * The project's answer to its letter (GET …/response), read-only.
 * @param {any} response
 */
export function responseView (response) {
  return h('section', { class: 'response', 'aria-labelledby': 'response-heading' },
    h('h2', { id: 'response-heading', text: 'Projektets svar på anbefalingsbrevet' }),
    h('p', { class: 'meta', text: `Modtaget ${formatDateTime(response.createdAt)}` }),
    h('p', { class: 'prose', text: response.text }))
}

/**
 * A council member's risk assessment, read-only.
 * @param {any} assessment
 * @param {{ heading: string, id: string }} options
 */
export function assessmentView (assessment, { heading, id }) {
  return h('section', { class: 'assessment', 'aria-labelledby': id },
    h('h2', { id, text: heading }),
    h('p', { class: 'meta', text: `Afgivet ${formatDateTime(assessment.createdAt)}` }),
    scrollableTable('Risiko pr. dimension', h('table', { class: 'data' },
      h('caption', { text: 'Risiko pr. dimension (1 = lav, 4 = meget høj)' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Dimension' }), h('th', { scope: 'col', text: 'Risiko' }))),
      h('tbody', {}, DIMENSIONS.map((d) => {
        const score = assessment.scores[d.key]
        return h('tr', {}, h('th', { scope: 'row', text: d.label }), h('td', { text: `${score} – ${SCORE[score] ?? ''}` }))
      })))),
    h('p', {}, 'Foreslået risikoprofil: ', h('strong', { text: profileText(assessment.proposedProfile) })),
    h('h3', { text: 'Sammenfatning' }),
    h('p', { class: 'prose', text: assessment.summary }),
    h('h3', { text: 'Anbefalinger' }),
    assessment.recommendations.length === 0
      ? h('p', { text: 'Ingen anbefalinger.' })
      : h('ul', {}, assessment.recommendations.map((/** @type {any} */ r) =>
        h('li', {}, h('strong', { text: `${DIMENSION_LABEL[r.category] ?? r.category}: ` }), r.text))))
}

/**
 * A table of projects linking to their pages.
 * @param {any[]} projects
 * @param {Record<string, string>} names organisation names by code
 * @param {{ caption: string, owner?: boolean }} options `owner`: a column with the owner's name
 */
export function projectTable (projects, names, { caption, owner = true }) {
  return scrollableTable(caption, h('table', { class: 'data' },
    h('caption', { text: caption }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Reference' }),
      h('th', { scope: 'col', text: 'Projekt' }),
      owner ? h('th', { scope: 'col', text: 'Ejer' }) : null,
      h('th', { scope: 'col', text: 'Status' }),
      h('th', { scope: 'col', text: 'Forfaldsdato' }),
      h('th', { scope: 'col', class: 'number', text: 'Medregnede omkostninger' }))),
    h('tbody', {}, projects.map((p) => h('tr', { class: isOverdue(p) ? 'row-overdue' : null },
      h('td', { text: p.reference }),
      h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}`, text: p.title })),
      owner ? h('td', { text: orgName(p.ownerOrg, names) }) : null,
      h('td', {}, statusBadge(p.status)),
      h('td', {}, p.assessmentDueOn ? dueDate(p) : '–'),
      h('td', { class: 'number', text: formatDkk(p.eligibleCostDkk) }))))))
}

/**
 * The deviation in words, each with the light the tolerances indicate ("Ikke beregnet" when there
 * is nothing to compare with): the status report's form and the project page.
 * @param {{ costDkk: number, costPct: number | null, scheduleDays: number, financialBenefitsPct: number | null }} deviation
 * @param {{ cost: string | null, schedule: string, financialBenefits: string | null } | null} indicated
 */
export function deviationList (deviation, indicated) {
  const [cost, schedule, benefits] = deviationText(deviation)
  /** @param {string | null | undefined} light */
  const lamp = (light) => light ? trafficLight(light) : h('span', { class: 'light light-none', text: 'Ikke beregnet' })
  return h('ul', { class: 'deviation' },
    h('li', {}, `${cost} – `, lamp(indicated?.cost)),
    h('li', {}, `${schedule} – `, lamp(indicated?.schedule)),
    h('li', {}, deviation.financialBenefitsPct === null ? 'Økonomiske gevinster – ' : `${benefits} – `, lamp(indicated?.financialBenefits)))
}
