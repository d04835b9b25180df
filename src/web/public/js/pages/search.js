// Søgning (#/search?q=…): the projects whose reference or title matches (GET /v1/projects?q=…).
// A whole reference goes straight to the project from the header's search box (main.js).
import { listAll, organisationNames } from '../api.js'
import { h } from '../dom.js'
import { countOf } from '../labels.js'
import { projectTable } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function searchPage (ctx) {
  const q = (ctx.query.get('q') ?? '').trim()
  if (!q) {
    return { title: 'Søg efter sag', content: h('p', { text: 'Skriv en reference, fx ITR-2026-0001, eller en del af en titel i søgefeltet øverst på siden.' }) }
  }
  const [projects, names] = await Promise.all([listAll('/v1/projects', { q }), organisationNames()])
  return {
    title: 'Søgeresultater',
    content: [
      h('p', { class: 'summary', role: 'status', text: `${countOf(projects.length, 'sag', 'sager')} matcher "${q}".` }),
      projects.length === 0
        ? h('p', { class: 'empty', text: 'Ingen sager matcher søgningen. Søg på reference (fx ITR-2026-0001) eller en del af titlen.' })
        : projectTable(projects, names, { caption: `Sager, der matcher "${q}"` })
    ]
  }
}
