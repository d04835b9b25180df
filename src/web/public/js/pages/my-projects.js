// Mine projekter (#/projects): the projects the caller's organisation owns, and those it takes part
// in as a region, with the way to submit a new one. GET /v1/projects shows only what the caller may see.
import { listAll, organisations } from '../api.js'
import { h } from '../dom.js'
import { countOf, orgName } from '../labels.js'
import { hasRole } from '../session.js'
import { projectTable } from '../ui.js'

/** @param {import('../main.js').PageContext} ctx */
export async function myProjectsPage (ctx) {
  const [projects, orgs] = await Promise.all([listAll('/v1/projects'), organisations()])
  const names = Object.fromEntries(orgs.map((o) => [o.code, o.name]))
  const org = ctx.session?.org ?? ''
  const own = projects.filter((p) => p.ownerOrg === org)
  const others = projects.filter((p) => p.ownerOrg !== org)
  const orgLabel = orgName(org, names)
  // Only a region takes part in others' projects (participatingRegions).
  const isRegion = orgs.find((o) => o.code === org)?.kind === 'region'

  return {
    title: 'Mine projekter',
    content: [
      h('p', { text: isRegion ? `De projekter, ${orgLabel} ejer, og dem, regionen deltager i.` : `De projekter, ${orgLabel} ejer.` }),
      hasRole(ctx.session, 'submitter') ? h('p', {}, h('a', { class: 'button', href: '#/projects/new', text: 'Indsend projekt' })) : null,
      h('section', { 'aria-labelledby': 'own-heading' },
        h('h2', { id: 'own-heading', text: `Projekter, som ${orgLabel} ejer` }),
        own.length === 0
          ? h('p', { class: 'empty', text: `${orgLabel} har endnu ikke indsendt projekter.` })
          : [h('p', { class: 'summary', text: `${countOf(own.length, 'projekt', 'projekter')}.` }),
              projectTable(own, names, { caption: `${orgLabel}s projekter, nyeste først`, owner: false })]),
      others.length === 0
        ? null
        : h('section', { 'aria-labelledby': 'others-heading' },
          h('h2', { id: 'others-heading', text: `Projekter, som ${orgLabel} deltager i` }),
          projectTable(others, names, { caption: `Andre organisationers projekter med ${orgLabel}, nyeste først` }))
    ]
  }
}
