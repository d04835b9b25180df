import type { IncomingMessage } from 'node:http'
import { parse as parseContentType } from 'content-type'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'

/**
 * At most this much of a body over the limit is read and dropped so that its sender reads the
 * 413; a larger one closes the connection.
 */
export const DISCARD_LIMIT_BYTES = 32 * 1024 * 1024

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Request bodies: JSON is UTF-8 (RFC 8259 §8.1), so a body declared in another charset is 415 and
 * bytes that are not UTF-8 are 400 (rather than stored with U+FFFD in their place). Prototype
 * poisoning is refused as by fastify's own parser, which parses the text.
 *
 * A body over the limit gets its 413 without a broken pipe: fastify answers before reading the
 * rest and asks for the connection to close, and closing a socket with unread data resets it —
 * the client, still sending, then never reads the answer. The rest is read and dropped first (up
 * to DISCARD_LIMIT_BYTES, and within the body deadline), and the connection stays open.
 */
async function requestBodyPlugin (fastify: FastifyInstance) {
  const parseJson = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let charset: string | undefined
    try {
      charset = parseContentType(request.headers['content-type'] ?? '').parameters.charset
    } catch {
      return done(new AppError('UNSUPPORTED_MEDIA_TYPE', msg('contentTypeUnparsable')), undefined)
    }
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      return done(new AppError('UNSUPPORTED_MEDIA_TYPE', msg('charsetUnsupported', { charset })), undefined)
    }
    let text: string
    try {
      text = utf8.decode(body as Buffer)
    } catch {
      return done(new AppError('MALFORMED_JSON', msg('bodyNotUtf8')), undefined)
    }
    parseJson(request, text, done)
  })

  fastify.addHook('onSend', async (request, reply) => {
    if (reply.statusCode === 413 && !request.raw.complete && await discardBody(request.raw)) reply.removeHeader('connection')
  })
}

/** Reads the rest of a body and drops it: true once it has ended, false past the bound. */
function discardBody (raw: IncomingMessage): Promise<boolean> {
  if (Number(raw.headers['content-length']) > DISCARD_LIMIT_BYTES) return Promise.resolve(false)
  return new Promise((resolve) => {
    let read = 0
    const finish = (ended: boolean) => {
      raw.off('data', onData).off('end', onEnd).off('close', onClose)
      resolve(ended)
    }
    const onData = (chunk: Buffer) => {
      read += chunk.length
      if (read > DISCARD_LIMIT_BYTES) finish(false)
    }
    const onEnd = () => finish(true)
    // Aborted by the client, or cut off by the body deadline (plugins/body-deadline.ts).
    const onClose = () => finish(raw.complete)
    raw.on('data', onData).on('end', onEnd).on('close', onClose)
    raw.resume()
  })
}

export default fp(requestBodyPlugin, { name: 'request-body', fastify: '5.x' })
