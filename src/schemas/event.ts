import { z } from 'zod'
import { EVENT_TYPES } from '../db/unit-of-work.ts'

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
    description: z.string().optional().describe('One line in Danish saying what happened, for journalising, e.g. "Anbefalingsbrev udstedt for ITR-2026-0001 med risikoprofil B."')
  }).describe('The event payload: type-specific fields, plus `description` (always) and `reference` (for project events)'),
  authtype: z.enum(['user', 'system']).describe('CloudEvents Auth Context extension'),
  authid: z.string().describe('The token subject of the actor (Auth Context extension)'),
  actororg: z.string().describe('The organisation code of the actor'),
  sequence: z.string().optional().describe('Position in the feed, a decimal string (Sequence extension). Absent only while an event is not yet sealed (history shortly after a change).'),
  hash: z.string().optional().describe('hex sha256(prevhash + "\\n" + sequence + "\\n" + canonical event JSON without sequence/hash/prevhash)'),
  prevhash: z.string().optional().describe('hash of the previous event in the feed; 64 zeros for the first')
}).meta({ id: 'CloudEvent' })

export type CloudEvent = z.infer<typeof CloudEventSchema>
