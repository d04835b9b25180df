import { z } from 'zod'
import { rule } from '../messages.ts'
import { Instant, Limit } from './common.ts'
import { CloudEventSchema } from './event.ts'

/** A feed position: a decimal sequence number (0 = before the first event). */
export const Sequence = z.string().regex(/^(0|[1-9]\d{0,17})$/, rule('sequenceNumber'))

export const SealedCloudEventSchema = CloudEventSchema.extend({
  sequence: z.string().describe('Position in the feed, a decimal string (CloudEvents Sequence extension); contiguous from 1'),
  hash: z.string().describe('hex sha256(prevhash + "\\n" + sequence + "\\n" + body), where body is the RFC 8785 canonical JSON of this event without sequence, hash and prevhash'),
  prevhash: z.string().describe('hash of the event at sequence - 1; 64 zeros for sequence 1')
}).meta({ id: 'SealedCloudEvent', description: 'A CloudEvents 1.0 event (structured JSON) with its place in the tamper-evident feed.' })

export const FeedQuery = z.object({
  after: Sequence.optional().describe('Return events with a sequence greater than this (default 0: from the first event). Resume with the sequence of the last event you received.'),
  cursor: Sequence.optional().describe('Same as `after` (the `nextCursor` of the previous page); give one of the two'),
  limit: Limit
})

export const FeedPageSchema = z.object({
  items: z.array(SealedCloudEventSchema),
  nextCursor: z.string().nullable().describe('The sequence of the last item when the page is full (ask again at once with after=<nextCursor>); null when the page is not full, i.e. you are at the head: poll again later with after=<sequence of the last event you received>')
}).meta({ id: 'EventFeedPage' })

export const StreamQuery = z.object({
  after: Sequence.optional().describe('Start after this sequence (default 0: from the first event). A Last-Event-ID header takes precedence.'),
  ticket: z.string().optional().describe('A stream ticket from POST /v1/events/stream-tickets, instead of the Authorization header (EventSource sends no headers). Single use; not together with Authorization.')
})

export const StreamTicketSchema = z.object({
  ticket: z.string().describe('32 random bytes, base64url: pass it as `?ticket=` to GET /v1/events/stream once'),
  expiresAt: Instant.describe('Until when the ticket can open a stream (60 s after issue; RFC 3339 UTC)'),
  head: z.string().describe('The newest sealed sequence when the ticket was issued: open the stream with `after=<head>` for only what happens from now on')
}).meta({ id: 'StreamTicket' })

// Loose: Fastify replaces request.headers with the validated value, and the others must stay.
export const StreamHeaders = z.looseObject({
  'last-event-id': Sequence.optional().describe('Sent by EventSource on reconnect: the `id` (sequence) of the last event received')
})

export const VerifyResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    events: z.number().int().describe('Number of sealed events whose links were recomputed')
  }),
  z.object({
    ok: z.literal(false),
    firstInvalidSequence: z.string().describe('The first sequence that is missing, altered or not vouched for'),
    reason: z.string()
  })
]).meta({ id: 'AuditVerification' })

export const CheckpointSchema = z.object({
  sequence: z.string().describe('The chain head the checkpoint vouches for'),
  hash: z.string().describe('The hash of the event at `sequence`'),
  time: Instant.describe('When it was signed (RFC 3339 UTC)'),
  jws: z.string().describe('JWS compact serialisation (EdDSA or ES256) over the JSON payload {"sequence","hash","time"}; the protected header carries `kid` and the public `jwk`'),
  key: z.record(z.string(), z.unknown()).describe('The public JWK (with kid) named in the header of `jws`, for information only: verify with the key of that `kid` from GET /v1/audit/keys, pinned on your side, never with this one (anyone can sign a checkpoint with a key of their own and name it here).')
}).meta({ id: 'AuditCheckpoint' })

export const AuditKeySchema = z.object({
  kty: z.enum(['OKP', 'EC']),
  crv: z.enum(['Ed25519', 'P-256']),
  x: z.string(),
  y: z.string().optional().describe('EC keys only'),
  kid: z.string().describe('Matches the `kid` in the protected header of the checkpoints this key signed'),
  alg: z.enum(['EdDSA', 'ES256']),
  use: z.literal('sig')
}).meta({ id: 'AuditKey', description: 'A public JWK (RFC 7517) that signs audit checkpoints.' })

export const AuditKeySetSchema = z.object({
  keys: z.array(AuditKeySchema).describe('The current signing key first, then retired ones')
}).meta({ id: 'AuditKeySet', description: 'A JSON Web Key Set (RFC 7517) of public keys only.' })

export const CheckpointListQuery = z.object({
  limit: Limit,
  cursor: Sequence.optional().describe('nextCursor of the previous page')
})

export const CheckpointPageSchema = z.object({
  items: z.array(CheckpointSchema),
  nextCursor: z.string().nullable()
}).meta({ id: 'AuditCheckpointPage' })
