// Sagsoversigt: projects awaiting or under the council's assessment, soonest deadline first.
import { listAll, regions } from '../api.js'
import { h } from '../dom.js'
import { formatDkk, isOverdue } from '../format.js'
import { dueDate, scrollableTable, statusBadge } from '../ui.js'

/** @param {import('../main.js').PageContext} _ctx */
export async function queuePage (_ctx) {
  const [awaiting, under, regionNames] = await Promise.all([
    listAll('/v1/projects', { status: 'awaiting_assessment' }),
    listAll('/v1/projects', { status: 'under_assessment' }),
    regions()
  ])
  const projects = [...awaiting, ...under].sort((a, b) =>
    String(a.assessmentDueOn ?? '9999').localeCompare(String(b.assessmentDueOn ?? '9999')) || a.reference.localeCompare(b.reference))
  const overdue = projects.filter(isOverdue).length

  const intro = h('p', {},
    'Projekter, der afventer eller er under rådets vurdering, med den tidligste forfaldsdato først. ',
    'Rådet skal afgive sit anbefalingsbrev senest 10 arbejdsdage efter indsendelsen.')

  if (projects.length === 0) {
    return { title: 'Sagsoversigt', content: [intro, h('p', { class: 'empty', text: 'Der er ingen projekter, der venter på vurdering.' })] }
  }

  const summary = h('p', { class: 'summary' },
    `${projects.length} ${projects.length === 1 ? 'projekt' : 'projekter'} i køen`,
    overdue > 0 ? h('strong', { class: 'text-overdue' }, `, heraf ${overdue} med overskredet forfaldsdato`) : null,
    '.')

  const table = h('table', { class: 'data' },
    h('caption', { text: 'Projekter til vurdering' }),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', text: 'Reference' }),
      h('th', { scope: 'col', text: 'Projekt' }),
      h('th', { scope: 'col', text: 'Ejer' }),
      h('th', { scope: 'col', text: 'Status' }),
      h('th', { scope: 'col', text: 'Forfaldsdato' }),
      h('th', { scope: 'col', class: 'number', text: 'Medregnede omkostninger' }))),
    h('tbody', {}, projects.map((p) => h('tr', { class: isOverdue(p) ? 'row-overdue' : null },
      h('td', { text: p.reference }),
      h('th', { scope: 'row' }, h('a', { href: `#/projects/${p.id}`, text: p.title })),
      h('td', { text: regionNames[p.ownerOrg] ?? p.ownerOrg }),
      h('td', {}, statusBadge(p.status)),
      h('td', {}, dueDate(p)),
      h('td', { class: 'number', text: formatDkk(p.eligibleCostDkk) })))))

  return { title: 'Sagsoversigt', content: [intro, summary, scrollableTable('Projekter til vurdering', table)] }
}
