// Sagsoversigt: projects awaiting or under the council's assessment, soonest deadline first; for
// a council member first "Mine sager", the projects they are assigned to (GET /v1/projects?assignedTo=me).
// For the secretariat (and others who may follow the audit feed) the lists update live.
import { listAll, organisationNames } from '../api.js'
import { h, replace } from '../dom.js'
import { formatTime, isOverdue } from '../format.js'
import { countOf } from '../labels.js'
import { firstTicket, followFeed } from '../live.js'
import { hasRole } from '../session.js'
import { projectTable } from '../ui.js'

/** The events that can move a project into, within or out of the queue. */
const QUEUE_EVENTS = [
  'itraad.project.submitted',
  'itraad.project.revised',
  'itraad.project.withdrawn',
  'itraad.project.closed',
  'itraad.review.member_assigned',
  'itraad.review.conflict_declared',
  'itraad.review.conflict_decided',
  'itraad.assessment.submitted',
  'itraad.letter.issued'
]

/** @param {any} a @param {any} b */
const byDeadline = (a, b) =>
  String(a.assessmentDueOn ?? '9999').localeCompare(String(b.assessmentDueOn ?? '9999')) || a.reference.localeCompare(b.reference)

/** @param {import('../main.js').PageContext} ctx */
export async function queuePage (ctx) {
  // The ticket first: the stream starts where the feed was before the lists below are read.
  const ticket = hasRole(ctx.session, 'secretariat', 'admin', 'integration') ? await firstTicket() : null
  const content = h('div', {}, await queueContent(ctx))
  if (!ticket) return { title: 'Sagsoversigt', content }
  const note = h('p', { class: 'muted live-note', 'aria-live': 'polite' })
  const stop = followFeed(ticket, QUEUE_EVENTS, async () => {
    replace(content, await queueContent(ctx))
    note.textContent = `Opdateret kl. ${formatTime(new Date())}`
  })
  return { title: 'Sagsoversigt', content: [note, content], stop }
}

/** @param {import('../main.js').PageContext} ctx */
async function queueContent (ctx) {
  const member = hasRole(ctx.session, 'council_member')
  const [awaiting, under, mine, names] = await Promise.all([
    listAll('/v1/projects', { status: 'awaiting_assessment' }),
    listAll('/v1/projects', { status: 'under_assessment' }),
    member ? listAll('/v1/projects', { assignedTo: 'me' }) : null,
    organisationNames()
  ])
  const projects = [...awaiting, ...under].sort(byDeadline)
  const overdue = projects.filter(isOverdue).length

  const mySection = mine === null
    ? null
    : h('section', { 'aria-labelledby': 'mine-heading' },
      h('h2', { id: 'mine-heading', text: 'Mine sager' }),
      mine.length === 0
        ? h('p', { class: 'empty', text: 'Du er ikke tilknyttet vurderingen af nogen projekter.' })
        : [h('p', { class: 'summary', text: `Du er tilknyttet ${countOf(mine.length, 'projekt', 'projekter')}.` }),
            projectTable([...mine].sort(byDeadline), names, { caption: 'Projekter, du er tilknyttet' })])

  const intro = h('p', {},
    'Projekter, der afventer eller er under rådets vurdering, med den tidligste forfaldsdato først. ',
    'Rådet skal afgive sit anbefalingsbrev senest på forfaldsdatoen: det antal arbejdsdage efter indsendelsen, som rådets regelsæt fastsætter for et projekt eller et program.')
  const queueHeading = mySection ? h('h2', { id: 'queue-heading', text: 'Alle sager til vurdering' }) : null

  if (projects.length === 0) {
    return [mySection, queueHeading, intro, h('p', { class: 'empty', text: 'Der er ingen projekter, der venter på vurdering.' })]
  }

  const summary = h('p', { class: 'summary' },
    `${countOf(projects.length, 'projekt', 'projekter')} i køen`,
    overdue > 0 ? h('strong', { class: 'text-overdue' }, `, heraf ${overdue} med overskredet forfaldsdato`) : null,
    '.')

  return [mySection, queueHeading, intro, summary, projectTable(projects, names, { caption: 'Projekter til vurdering' })]
}
