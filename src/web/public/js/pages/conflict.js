// Erklær inhabilitet (#/projects/<id>/conflict): a council member declares disqualification on a
// project of their council (forvaltningsloven §3). The secretariat decides the declaration (§6);
// until then the member keeps the place but cannot assess. The statement is read by the
// secretariat and the member only.
import { api } from '../api.js'
import { h } from '../dom.js'
import { CONFLICT_DECISION } from '../labels.js'
import { loadProject } from '../project-context.js'
import { field, onSubmit, projectLead } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function conflictPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  if (!loaded.actions.includes('declareConflict')) {
    const own = loaded.conflicts.find((c) => c.memberSub === ctx.session?.sub)
    return {
      title: 'Erklær inhabilitet',
      content: [
        projectLead(project),
        h('p', {
          text: own
            ? `Du har allerede erklæret dig inhabil i projektet. Afgørelse: ${(CONFLICT_DECISION[own.decision] ?? own.decision).toLowerCase()}.`
            : 'Du kan ikke erklære dig inhabil i projektet: det kan et rådsmedlem, mens projektet afventer eller er under vurdering.'
        }),
        h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const message = h('div', { class: 'message-slot' })
  const ground = /** @type {HTMLInputElement} */ (h('input', { id: 'conflict-ground', name: 'ground', maxlength: '200', autocomplete: 'off' }))
  const statement = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'conflict-statement', name: 'statement', rows: '6', maxlength: '5000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    message,
    field('Grundlag', ground, { required: true, help: 'Den bestemmelse, inhabiliteten følger af, fx "forvaltningsloven § 3, stk. 1, nr. 5".' }),
    field('Redegørelse', statement, {
      required: true,
      help: 'De forhold, der gør dig inhabil. Redegørelsen læses kun af sekretariatet; den står ikke i projektets forløb eller i ejerens sagsakter.'
    }),
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', text: 'Send erklæringen' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => {
    /** @type {Array<{ id: string, message: string }>} */
    const problems = []
    if (!ground.value.trim()) problems.push({ id: ground.id, message: 'Skriv grundlaget for inhabiliteten.' })
    if (!statement.value.trim()) problems.push({ id: statement.id, message: 'Skriv en redegørelse for de forhold, der gør dig inhabil.' })
    return {
      problems,
      send: async () => {
        await api(`/v1/projects/${project.id}/conflicts`, { method: 'POST', body: { ground: ground.value.trim(), statement: statement.value.trim() } })
        ctx.navigate(`#/projects/${project.id}`, 'Din erklæring om inhabilitet er sendt til sekretariatet.')
      }
    }
  })

  return {
    title: 'Erklær inhabilitet',
    content: [
      projectLead(project),
      h('p', { text: 'Er du inhabil i sagen, skal du sige det til sekretariatet (forvaltningsloven § 6). Sekretariatet træffer afgørelse om erklæringen. Indtil da beholder du din plads i vurderingen, men kan ikke afgive risikovurdering, og rådets anbefalingsbrev kan ikke udsendes.' }),
      form
    ]
  }
}
