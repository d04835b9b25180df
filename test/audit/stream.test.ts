import { get, type IncomingMessage } from 'node:http'
import { CloudEvent } from 'cloudevents'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { AuditRepository } from '../../src/repositories/audit.ts'
import { bearer, build, token } from '../helpers/build.ts'
import { appendEvents } from './helpers.ts'

// Five fresh databases and ~24 MB of events through SSE: on a busy machine this file needs far
// more than the suite's per-file default (.taprc). Counted from here.
t.setTimeout(600_000)

interface Frame { id?: string, event?: string, data?: string, comment?: string }

/** A Server-Sent Events reader over Node's fetch: frames as they arrive. */
class SseClient {
  readonly frames: Frame[] = []
  readonly status: number
  readonly headers: Headers
  readonly done: Promise<void>
  readonly #abort: AbortController
  #waiters: Array<() => void> = []

  private constructor (response: Response, abort: AbortController) {
    this.status = response.status
    this.headers = response.headers
    this.#abort = abort
    this.done = this.#read(response.body!)
  }

  static async open (url: string, headers: Record<string, string>): Promise<SseClient> {
    const abort = new AbortController()
    const response = await fetch(url, { headers, signal: abort.signal })
    return new SseClient(response, abort)
  }

  async #read (body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const frame: Frame = {}
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim()
            else if (line.startsWith('id: ')) frame.id = line.slice(4)
            else if (line.startsWith('event: ')) frame.event = line.slice(7)
            else if (line.startsWith('data: ')) frame.data = line.slice(6)
          }
          this.frames.push(frame)
        }
        for (const wake of this.#waiters.splice(0)) wake()
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    } finally {
      for (const wake of this.#waiters.splice(0)) wake()
    }
  }

  get events (): Frame[] {
    return this.frames.filter((f) => f.id !== undefined)
  }

  /**
   * Waits until `predicate` holds for the frames received so far; returns as soon as it does, so
   * the limit is only how long a busy machine may take before the wait counts as failed.
   */
  async until (predicate: (client: SseClient) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames.map((f) => f.id ?? `:${f.comment ?? ''}`))}`)
      await Promise.race([new Promise<void>((resolve) => this.#waiters.push(resolve)), new Promise((resolve) => setTimeout(resolve, 50))])
    }
  }

  close (): void {
    this.#abort.abort()
  }
}

async function listening (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return `http://127.0.0.1:${address.port}`
}

t.test('the stream sends the backlog, then new events live, as SSE frames with id = sequence', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  const auth = bearer(await token('integration', 'ITR'))
  await appendEvents(app, 3)
  await app.sealer.sealPending()

  const client = await SseClient.open(`${base}/v1/events/stream`, auth)
  t.teardown(() => client.close())
  t.equal(client.status, 200)
  t.match(client.headers.get('content-type'), /^text\/event-stream/)
  t.equal(client.headers.get('cache-control'), 'no-cache, no-transform')
  t.ok(client.headers.get('x-request-id'))
  await client.until((c) => c.events.length === 3)
  t.same(client.events.map((f) => f.id), ['1', '2', '3'])
  for (const frame of client.events) {
    t.equal(frame.event, 'itraad.project.alert')
    const event = JSON.parse(frame.data!)
    t.equal(event.sequence, frame.id)
    t.ok(new CloudEvent(event).validate())
  }

  // 1. new events arrive without reconnecting, once each
  await appendEvents(app, 2, { type: 'itraad.project.submitted' })
  await app.sealer.sealPending()
  await client.until((c) => c.events.length === 5)
  t.same(client.events.map((f) => `${f.id} ${f.event}`), ['1 itraad.project.alert', '2 itraad.project.alert', '3 itraad.project.alert', '4 itraad.project.submitted', '5 itraad.project.submitted'])

  // 2. resuming: Last-Event-ID wins over ?after=
  const resumed = await SseClient.open(`${base}/v1/events/stream?after=1`, { ...auth, 'last-event-id': '3' })
  t.teardown(() => resumed.close())
  await resumed.until((c) => c.events.length === 2)
  t.same(resumed.events.map((f) => f.id), ['4', '5'])
  const after = await SseClient.open(`${base}/v1/events/stream?after=4`, auth)
  t.teardown(() => after.close())
  await after.until((c) => c.events.length === 1)
  t.same(after.events.map((f) => f.id), ['5'])

  // 3. a bad position is a 400 problem, not a stream
  const bad = await fetch(`${base}/v1/events/stream`, { headers: { ...auth, 'last-event-id': 'abc' } })
  t.equal(bad.status, 400)
  t.match(bad.headers.get('content-type'), /application\/problem\+json/)
  const unauthenticated = await fetch(`${base}/v1/events/stream`)
  t.equal(unauthenticated.status, 401)
  await unauthenticated.body?.cancel()
})

t.test('one shared poller serves every live client', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  const auth = bearer(await token('secretariat', 'ITR'))
  // Only the sealer's wake-ups make the poller read here, so its reads can be counted.
  app.eventStream.pollMs = 60_000
  await appendEvents(app, 1)
  await app.sealer.sealPending()
  const clients = await Promise.all(Array.from({ length: 8 }, () => SseClient.open(`${base}/v1/events/stream`, auth)))
  t.teardown(() => { for (const c of clients) c.close() })
  await Promise.all(clients.map((c) => c.until((x) => x.events.length === 1)))
  t.equal(app.eventStream.clientCount, 8)

  const reads = app.eventStream.pollReads
  for (let i = 0; i < 3; i++) {
    await appendEvents(app, 2)
    await app.sealer.sealPending()
    await Promise.all(clients.map((c) => c.until((x) => x.events.length === 1 + 2 * (i + 1))))
  }
  for (const client of clients) t.same(client.events.map((f) => f.id), ['1', '2', '3', '4', '5', '6', '7'])
  const used = app.eventStream.pollReads - reads
  t.ok(used <= 6, `the poller read ${used} times for 3 batches and 8 clients (one read per wake-up, at most one re-run each)`)
})

t.test('heartbeats keep idle streams alive', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  app.eventStream.heartbeatMs = 50
  const client = await SseClient.open(`${base}/v1/events/stream`, bearer(await token('admin', 'ITR')))
  t.teardown(() => client.close())
  await client.until((c) => c.frames.filter((f) => f.comment === 'heartbeat').length >= 2)
  t.same(client.events, [])
})

t.test('a client that does not read is ended instead of buffered without bound', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  app.eventStream.maxBufferBytes = 256 * 1024
  // How long a client may accept nothing before it is ended. Not much shorter: the reading client
  // shares this process (and its event loop) with the server, and on a busy machine a loop turn
  // that catches up from the database can outlast half a second while the reader is reading fine.
  app.eventStream.drainTimeoutMs = 5_000
  const auth = bearer(await token('integration', 'ITR'))

  // 1. a client that never reads its response
  let slow: IncomingMessage | undefined
  get(`${base}/v1/events/stream`, { headers: auth }, (res) => {
    res.pause()
    slow = res
  }).on('error', () => {})
  // 2. a well-behaved one
  const reader = await SseClient.open(`${base}/v1/events/stream`, auth)
  t.teardown(() => reader.close())
  const waitFor = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 60_000
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  await waitFor(() => app.eventStream.clientCount === 2 && slow !== undefined, 'two clients')

  // 3. far more than socket buffers hold: ~24 MB of events, broadcast live
  const padding = 'x'.repeat(8000)
  for (let i = 0; i < 15; i++) await appendEvents(app, 200, { data: { padding } })
  await app.sealer.sealPending()
  await waitFor(() => app.eventStream.clientCount === 1, 'the slow client to be dropped')

  // 4. the slow client, reading at last, finds its stream cut short
  let received = 0
  await new Promise<void>((resolve) => {
    slow!.on('data', (chunk: Buffer) => { received += chunk.length })
    slow!.on('close', resolve)
    slow!.on('error', () => resolve())
    slow!.resume()
  })
  t.ok(received < 3000 * 8000, `the slow client got ${received} bytes before it was ended`)
  await reader.until((c) => c.events.length === 3000, 180_000)
  t.equal(reader.events.at(-1)!.id, '3000', 'the reading client got everything')
  t.same(reader.events.map((f) => Number(f.id)), Array.from({ length: 3000 }, (_, i) => i + 1), 'in order, once each')
  t.equal(app.eventStream.clientCount, 1)
})

t.test('closing the app ends open streams promptly', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  const client = await SseClient.open(`${base}/v1/events/stream`, bearer(await token('integration', 'ITR')))
  await client.until((c) => c.frames.length >= 1)
  const started = Date.now()
  await app.close()
  await client.done
  t.ok(Date.now() - started < 5000, `closed in ${Date.now() - started} ms, not held open by the stream`)
  t.equal(app.eventStream.clientCount, 0)
})

/**
 * Counts the feed reads of this process (the poller's and every client's catch-up): the database
 * work that streaming costs. Patched on the repository's prototype, so it counts whatever the hub does.
 */
function countFeedReads (t: Test): { readonly count: number } {
  const counter = { count: 0 }
  const proto = AuditRepository.prototype
  const sealedAfter = proto.sealedAfter
  const head = proto.head
  proto.sealedAfter = function (this: AuditRepository, ...args) { counter.count++; return sealedAfter.apply(this, args) }
  proto.head = function (this: AuditRepository, ...args) { counter.count++; return head.apply(this, args) }
  t.teardown(() => { proto.sealedAfter = sealedAfter; proto.head = head })
  return counter
}

/** Feed reads made while `span` ms pass. */
async function readsOver (counter: { readonly count: number }, span: number): Promise<number> {
  const before = counter.count
  await new Promise((resolve) => setTimeout(resolve, span))
  return counter.count - before
}

const BEYOND = '/problems/position-beyond-head'

t.test('a position beyond the newest sealed sequence is refused (400 position-beyond-head); one at the head is not', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  const auth = bearer(await token('integration', 'ITR'))
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  // Appended but not sealed: not in the feed yet, so not a position either.
  await appendEvents(app, 1)

  const refused = async (what: string, res: Response) => {
    t.equal(res.status, 400, what)
    t.match(res.headers.get('content-type'), /application\/problem\+json/, what)
    const body = await res.json() as { type: string, code: string, status: number, detail: string }
    t.match(body, { type: BEYOND, code: 'POSITION_BEYOND_HEAD', status: 400, detail: /beyond the newest sealed sequence \(3\)/ }, what)
    t.ok(body.type.endsWith('position-beyond-head'), what)
  }
  await refused('stream, Last-Event-ID', await fetch(`${base}/v1/events/stream`, { headers: { ...auth, 'last-event-id': '4' } }))
  await refused('stream, ?after=', await fetch(`${base}/v1/events/stream?after=4`, { headers: auth }))
  await refused('stream, far beyond', await fetch(`${base}/v1/events/stream`, { headers: { ...auth, 'last-event-id': '999999999999999999' } }))
  // Last-Event-ID wins over ?after=, so it is the position that is checked.
  await refused('stream, Last-Event-ID beyond with a valid ?after=', await fetch(`${base}/v1/events/stream?after=1`, { headers: { ...auth, 'last-event-id': '5' } }))
  await refused('feed, ?after=', await fetch(`${base}/v1/events?after=4`, { headers: auth }))
  await refused('feed, ?cursor=', await fetch(`${base}/v1/events?cursor=1000`, { headers: auth }))
  t.equal(app.eventStream.clientCount, 0, 'no refused request became a stream')

  // at the head: an empty page, and a stream that waits for what comes next
  const page = await fetch(`${base}/v1/events?after=3`, { headers: auth })
  t.equal(page.status, 200)
  t.same(await page.json(), { items: [], nextCursor: null })
  const atHead = await SseClient.open(`${base}/v1/events/stream`, { ...auth, 'last-event-id': '3' })
  t.teardown(() => atHead.close())
  t.equal(atHead.status, 200)
  const afterHead = await SseClient.open(`${base}/v1/events/stream?after=3`, auth)
  t.teardown(() => afterHead.close())
  t.equal(afterHead.status, 200)
  await app.sealer.sealPending()
  await atHead.until((c) => c.events.length === 1)
  await afterHead.until((c) => c.events.length === 1)
  t.same([atHead.events[0]!.id, afterHead.events[0]!.id], ['4', '4'])
})

t.test('a stream request beyond the head does not make the other streams spin', async (t) => {
  const { app } = await build(t, { env: { WORKERS: 'off' } })
  const base = await listening(app)
  const auth = bearer(await token('integration', 'ITR'))
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  const reads = countFeedReads(t)
  const SPAN = 1000
  const waitForNoClients = async () => {
    const deadline = Date.now() + 60_000
    while (app.eventStream.clientCount > 0) {
      if (Date.now() > deadline) throw new Error('streams did not end')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  // 1. the database work of one normal stream, idle (the poller's ticks)
  const alone = await SseClient.open(`${base}/v1/events/stream`, auth)
  await alone.until((c) => c.events.length === 3)
  const idle = await readsOver(reads, SPAN)
  alone.close()
  await waitForNoClients()

  // 2. while no stream is live, a request beyond the head (the shared head used to follow it)
  const abusive = await fetch(`${base}/v1/events/stream`, { headers: { ...auth, 'last-event-id': '1000000' } })
  // Held open if it was served, so that the harm (if any) lasts through the measurement.
  t.teardown(() => abusive.body?.cancel().catch(() => {}))
  t.equal(abusive.status, 400, 'refused')

  // 3. a normal stream costs what it cost before
  const normal = await SseClient.open(`${base}/v1/events/stream`, auth)
  t.teardown(() => normal.close())
  await normal.until((c) => c.events.length === 3)
  const busy = await readsOver(reads, SPAN)
  t.ok(busy <= idle + 10, `a normal stream made ${busy} feed reads in ${SPAN} ms after the request beyond the head; alone it made ${idle}`)

  // 4. and still gets what comes next, once each
  await appendEvents(app, 2)
  await app.sealer.sealPending()
  await normal.until((c) => c.events.length === 5)
  t.same(normal.events.map((f) => f.id), ['1', '2', '3', '4', '5'])
})

t.test('the hub itself never takes a client position for the head, and an empty catch-up page waits for the next poll', async (t) => {
  // Past the routes' check (a position beyond the head that reaches the hub anyway, e.g. after the
  // database was restored to an older state): it must not touch the shared head nor spin.
  const { app } = await build(t, {
    env: { WORKERS: 'off' },
    routes: (app) => {
      app.get('/test/raw-stream', { config: { access: 'public' } }, async (request, reply) => {
        reply.hijack()
        void app.eventStream.serve(reply.raw, (request.query as { after: string }).after)
      })
    }
  })
  const base = await listening(app)
  const auth = bearer(await token('integration', 'ITR'))
  await appendEvents(app, 3)
  await app.sealer.sealPending()
  const reads = countFeedReads(t)
  const SPAN = 1000

  const beyond = await SseClient.open(`${base}/test/raw-stream?after=1000000`, {})
  t.teardown(() => beyond.close())
  await beyond.until((c) => c.frames.length >= 1)
  const normal = await SseClient.open(`${base}/v1/events/stream`, auth)
  t.teardown(() => normal.close())
  await normal.until((c) => c.events.length === 3)
  const idle = Math.ceil(SPAN / app.eventStream.pollMs) + 2
  const used = await readsOver(reads, SPAN)
  t.ok(used <= idle + 10, `two streams made ${used} feed reads in ${SPAN} ms (the poller ticks about ${idle} times)`)

  await appendEvents(app, 2)
  await app.sealer.sealPending()
  await normal.until((c) => c.events.length === 5)
  t.same(normal.events.map((f) => f.id), ['1', '2', '3', '4', '5'], 'the normal stream is live')
  t.same(beyond.events, [], 'the stream beyond the head gets nothing it already claims to have')
})
