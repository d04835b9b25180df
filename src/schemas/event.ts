import { z } from 'zod'
import { EVENT_TYPES } from '../db/unit-of-work.ts'
import { JOURNAL_DIRECTIONS } from '../modules/audit/journal.ts'

/** `data.journal`: how a case-handling (ESDH) system files the event, without calling back. */
export const JournalSchema = z.object({
  caseReference: z.string().describe('The case (sag) the event belongs to. A project event: the project\'s reference, e.g. ITR-2026-0001. ' +
    'The others: the council\'s administration case for its policy versions (ITR-ADM-REGELSAET, SIR-ADM-REGELSAET) and its members ' +
    '(ITR-ADM-MEDLEMMER, SIR-ADM-MEDLEMMER); the service\'s for the organisation register (ADM-ORGANISATIONER) and for webhooks (ADM-INTEGRATIONER)'),
  caseTitle: z.string().describe('The case title (sagstitel): the project\'s title as of the event, or the administration case\'s title, ' +
    'e.g. "Regionernes It-råd: rådets medlemmer"'),
  documentTitle: z.string().describe('The document title (dokumenttitel) in Danish, one pattern per event type, e.g. "Anbefalingsbrev", ' +
    '"Statusrapport 2. halvår 2026", "Risikovurdering fra rådsmedlem Anne Andersen"'),
  direction: z.enum(JOURNAL_DIRECTIONS).describe('`incoming` (indgående): what the project sends — submission, revision, withdrawal, response, ' +
    'status reports and their corrections, closure, benefit reports, documents the owner uploads. `outgoing` (udgående): what the council sends — ' +
    'the letter, the judgement of a status report, the follow-up decision. `internal` (internt notat): the rest — assignments, assessments, ' +
    'conflicts of interest, baseline approvals, alerts, documents the secretariat adds, and every event that concerns no project'),
  documentDate: z.string().describe('YYYY-MM-DD: the calendar date of `time` in Copenhagen (an event at 23:30 UTC in winter is dated the next day)'),
  parties: z.array(z.string()).describe('Organisation codes (parter), sorted, each once. A project event: the owner, the participating regions and ' +
    'the actor\'s organisation (e.g. the secretariat ITR, a council member\'s organisation). The others: the actor\'s organisation')
}).meta({ id: 'Journal' })

export type Journal = z.infer<typeof JournalSchema>

/** A CloudEvents 1.0 event in structured JSON mode, with this service's extension attributes. */
export const CloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string(),
  source: z.string(),
  type: z.enum(EVENT_TYPES),
  subject: z.string().describe('projects/{id} or webhooks/{id}'),
  time: z.string().describe('RFC 3339 UTC'),
  datacontenttype: z.literal('application/json'),
  data: z.looseObject({
    reference: z.string().nullable().optional().describe('The project reference, e.g. ITR-2026-0001 (absent for events without a project, such as itraad.webhook.registered)'),
    description: z.string().optional().describe('One line in Danish saying what happened, for journalising, e.g. "Anbefalingsbrev udstedt for ITR-2026-0001 med risikoprofil B."'),
    journal: JournalSchema.optional().describe('How to file the event in a case-handling system. On every event written from v1.1 on; stored events never change, so earlier ones have none')
  }).describe('The event payload: type-specific fields, plus `description` (always), `reference` (for project events) and `journal` (from v1.1)'),
  authtype: z.enum(['user', 'system']).describe('CloudEvents Auth Context extension'),
  authid: z.string().describe('The token subject of the actor (Auth Context extension)'),
  actororg: z.string().describe('The organisation code of the actor'),
  sequence: z.string().optional().describe('Position in the feed, a decimal string (Sequence extension). Absent only while an event is not yet sealed (history shortly after a change).'),
  hash: z.string().optional().describe('hex sha256(prevhash + "\\n" + sequence + "\\n" + canonical event JSON without sequence/hash/prevhash)'),
  prevhash: z.string().optional().describe('hash of the previous event in the feed; 64 zeros for the first')
}).meta({ id: 'CloudEvent' })

export type CloudEvent = z.infer<typeof CloudEventSchema>
