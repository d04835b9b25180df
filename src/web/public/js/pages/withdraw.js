// Træk projektet tilbage (#/projects/<id>/withdraw): the owner's confirmation step, with an optional
// reason that the history and the case file keep. Withdrawal is final.
import { api } from '../api.js'
import { h } from '../dom.js'
import { STATUS } from '../labels.js'
import { loadProject } from '../project-context.js'
import { field, onSubmit, projectLead } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function withdrawPage (ctx) {
  const loaded = await loadProject(ctx.params[0] ?? '', ctx.session)
  const { project } = loaded
  if (!loaded.actions.includes('withdraw')) {
    return {
      title: 'Træk projektet tilbage',
      content: [
        projectLead(project),
        h('p', { text: project.status === 'withdrawn' ? 'Projektet er allerede trukket tilbage.' : 'Kun projektets ejer kan trække projektet tilbage.' }),
        h('p', {}, h('a', { href: `#/projects/${project.id}`, text: 'Tilbage til projektet' }))
      ]
    }
  }
  const message = h('div', { class: 'message-slot' })
  const reason = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'withdraw-reason', name: 'reason', rows: '4', maxlength: '2000' }))
  const form = /** @type {HTMLFormElement} */ (h('form', { novalidate: true },
    field('Begrundelse (valgfri)', reason, { help: 'Hvorfor projektet trækkes tilbage. Begrundelsen står i projektets forløb og sagsakter.' }),
    message,
    h('p', { class: 'button-row' },
      h('button', { type: 'submit', class: 'button-danger', text: 'Ja, træk projektet tilbage' }),
      h('a', { href: `#/projects/${project.id}`, class: 'button button-secondary', text: 'Annullér' }))))

  onSubmit(form, message, () => ({
    problems: [],
    send: async () => {
      const text = reason.value.trim()
      await api(`/v1/projects/${project.id}/withdraw`, { method: 'POST', body: text ? { reason: text } : {} })
      ctx.navigate(`#/projects/${project.id}`, 'Projektet er trukket tilbage.')
    }
  }))

  return {
    title: 'Træk projektet tilbage',
    content: [
      projectLead(project),
      h('div', { class: 'notice' },
        h('p', {}, h('strong', { text: 'Vil du trække projektet tilbage? ' }),
          `Projektet er nu "${STATUS[project.status] ?? project.status}". En tilbagetrækning er endelig: projektet kan derefter hverken revideres, vurderes eller følges op.`)),
      form
    ]
  }
}
