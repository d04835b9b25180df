import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'
import { assertPositionWithinHead, feedHead, listEvents } from '../modules/audit/feed.ts'
import { StreamTicketRepository, TICKET_LIFETIME_SECONDS } from '../repositories/stream-tickets.ts'
import { FeedPageSchema, FeedQuery, StreamHeaders, StreamQuery, StreamTicketSchema } from '../schemas/audit.ts'
import { problemResponses } from '../schemas/common.ts'

const FEED_ROLES = ['integration', 'secretariat', 'admin'] as const

const eventsRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const tickets = new StreamTicketRepository(fastify.db)

  fastify.get('/v1/events', {
    config: { access: { roles: FEED_ROLES } },
    schema: {
      tags: ['events'],
      summary: 'The audit feed: every committed event once, in sequence order',
      description: [
        'CloudEvents 1.0 (structured JSON) with the extension attributes `sequence`, `authtype`, `authid`,',
        '`actororg`, `hash` and `prevhash`. Events appear once they are sealed, normally within a fraction of a',
        'second of their commit; sequences are contiguous from 1 and an event that commits late is never skipped.',
        '',
        'Paging: start with `after=0` (or nothing). A full page has `nextCursor` = its last sequence: ask again at',
        'once with `after=<nextCursor>`. A page that is not full has `nextCursor: null`: you are at the head; poll',
        'again later with `after=<sequence of the last event you received>`. `cursor` is accepted as a synonym of',
        '`after`. Each event\'s `data` has `description` (one line in Danish) and, for project events, `reference`.',
        '',
        'An `after` (or `cursor`) beyond the newest sealed sequence in the database is refused: 400 with `type`',
        '`/problems/position-beyond-head`. Resume from the sequence of the last event you received.'
      ].join('\n'),
      querystring: FeedQuery,
      response: { 200: FeedPageSchema, ...problemResponses() }
    }
  }, async (request) => {
    const { after, cursor, limit } = request.query
    if (after !== undefined && cursor !== undefined && after !== cursor) {
      throw new AppError('BAD_REQUEST', msg('afterOrCursor'))
    }
    return listEvents(fastify.db, { after: after ?? cursor ?? '0', limit })
  })

  fastify.post('/v1/events/stream-tickets', {
    config: { access: { roles: FEED_ROLES } },
    schema: {
      tags: ['events'],
      summary: 'A single-use ticket for opening the event stream from a browser',
      description: [
        `EventSource sends no headers, so it cannot carry the bearer token. This returns a ticket, valid ${TICKET_LIFETIME_SECONDS} s, that opens`,
        'one stream as the caller: `GET /v1/events/stream?ticket=<ticket>`. It is used up by that request, whatever its',
        'answer; get a new one for every (re)connection. Only the ticket\'s sha256 is stored. No request body.',
        '`head` is the newest sealed sequence at issue: a page that has just read its data opens the stream with',
        '`after=<head>` and hears only of changes from then on.'
      ].join('\n'),
      response: { 201: StreamTicketSchema, ...problemResponses() }
    }
  }, async (request, reply) => {
    const head = await feedHead(fastify.db)
    return reply.code(201).send({ ...await tickets.issue(request.caller), head })
  })

  fastify.get('/v1/events/stream', {
    config: { access: { roles: FEED_ROLES, streamTicket: true } },
    schema: {
      tags: ['events'],
      summary: 'The audit feed as Server-Sent Events',
      description: [
        'The same events as GET /v1/events, as `text/event-stream`: each event is a frame with `id:` = its sequence,',
        '`event:` = its type and `data:` = the CloudEvent JSON. Starts after `Last-Event-ID` (sent by EventSource on',
        'reconnect) or `?after=`, else from the first event, catches up, then follows new events live.',
        'A comment line (`: heartbeat`) is sent every 15 s. Buffering per client is bounded: a client that falls',
        'over 1 MiB behind leaves the live fan-out and is fed at the pace it reads; one that reads nothing for 30 s is',
        'disconnected. Streams also end when the service shuts down. Either way, reconnect with Last-Event-ID',
        '(EventSource does this by itself; the server suggests `retry: 2000`).',
        '',
        'A `Last-Event-ID` or `after` beyond the newest sealed sequence in the database is refused before the stream',
        'starts: 400 with `type` `/problems/position-beyond-head`.',
        '',
        'From a browser, authenticate with `?ticket=` (POST /v1/events/stream-tickets) instead of the Authorization',
        'header: `new EventSource(\'/v1/events/stream?ticket=…&after=…\')`. A ticket opens one stream; EventSource',
        'reconnects with the same URL, so on `error` close it and open a new one with a fresh ticket and',
        '`after=<last id received>`. An unknown, used or expired ticket → 401; a ticket and an Authorization header',
        'together → 400.'
      ].join('\n'),
      security: [{ bearer: [] }, { streamTicket: [] }],
      querystring: StreamQuery,
      headers: StreamHeaders,
      response: {
        200: {
          description: 'An endless event stream',
          content: { 'text/event-stream': { schema: z.string().describe('id: <sequence>\\nevent: <type>\\ndata: <CloudEvent JSON>\\n\\n, repeated') } }
        },
        ...problemResponses()
      }
    }
  }, async (request, reply) => {
    const after = request.headers['last-event-id'] ?? request.query.after ?? '0'
    // Before hijacking, so that a refusal is an ordinary problem+json answer.
    await assertPositionWithinHead(fastify.db, after)
    reply.hijack()
    fastify.eventStream.serve(reply.raw, after, { 'x-request-id': request.id }).catch((error: unknown) => {
      request.log.error({ err: { message: (error as Error).message } }, 'event stream failed')
      reply.raw.destroy()
    })
  })
}

export default eventsRoutes
