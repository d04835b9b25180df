import type { ServerResponse } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../../db/client.ts'
import { feedHead, readSealedEvents, type SealedEvent } from './feed.ts'

export interface EventStreamOptions {
  db: Db
  log?: FastifyBaseLogger | undefined
  /** How often the shared poller looks for new events while clients are connected (the sealer also wakes it). */
  pollMs?: number
  heartbeatMs?: number
  /**
   * A live client with more unsent output than this leaves the shared tail and catches up from
   * the database at its own pace; so no client ever has more than about this much buffered.
   */
  maxBufferBytes?: number
  /** A client that accepts no output for this long is ended; it resumes with Last-Event-ID. */
  drainTimeoutMs?: number
}

interface Client {
  raw: ServerResponse
  /** Sequence of the last event written to this client. */
  lastSent: bigint
  live: boolean
  closed: boolean
}

const PAGE = 500
// Recently broadcast events, so a client finishing its catch-up can bridge to the live tail
// without reading the database again while events keep arriving.
const RECENT = 2000

/** One SSE frame: `id` = sequence, `event` = type, `data` = the CloudEvent (JSON has no newlines). */
export function sseFrame (event: SealedEvent): string {
  return `id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

/**
 * The live feed as Server-Sent Events. One poller per process reads new sealed events and fans
 * them out to every live client; a client that connects behind the head first catches up with its
 * own paged reads (flow-controlled by its socket), then joins the shared tail.
 */
export class EventStreamHub {
  readonly #db: Db
  readonly #log: FastifyBaseLogger | undefined
  readonly #clients = new Set<Client>()
  /**
   * Sequence of the last event the poller has read from the database; null until it first looks.
   * Only the poller sets it: a client's position never does (a position past the database's head
   * would make every other client's catch-up believe it is missing events that do not exist).
   */
  #head: bigint | null = null
  /** Catch-ups waiting for the next poll to finish (after an empty page that could not join). */
  #pollWaiters: Array<() => void> = []
  #recent: Array<{ sequence: bigint, frame: string }> = []
  #polling: Promise<void> | undefined
  #pollAgain = false
  #pollTimer: NodeJS.Timeout | undefined
  #heartbeatTimer: NodeJS.Timeout | undefined
  #closed = false
  pollMs: number
  heartbeatMs: number
  maxBufferBytes: number
  drainTimeoutMs: number

  constructor (opts: EventStreamOptions) {
    this.#db = opts.db
    this.#log = opts.log
    this.pollMs = opts.pollMs ?? 250
    this.heartbeatMs = opts.heartbeatMs ?? 15_000
    this.maxBufferBytes = opts.maxBufferBytes ?? 1024 * 1024
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 30_000
  }

  /** Database reads made by the shared poller (one per page, however many clients). */
  pollReads = 0

  get clientCount (): number {
    return this.#clients.size
  }

  /** New events were sealed (by this process): look now instead of at the next tick. */
  wake (): void {
    if (this.#clients.size > 0) void this.#poll()
  }

  /**
   * Serves one client on a hijacked response until it disconnects, is too slow, or the hub closes.
   * `after` is the last sequence the client has (from Last-Event-ID or ?after=).
   */
  async serve (raw: ServerResponse, after: string, headers: Record<string, string> = {}): Promise<void> {
    if (this.#closed) {
      raw.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '2' }).end()
      return
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      ...headers
    })
    // Tell EventSource how soon to reconnect, and get the headers out now.
    raw.write('retry: 2000\n\n')
    const client: Client = { raw, lastSent: BigInt(after), live: false, closed: false }
    raw.on('close', () => this.#drop(client))
    this.#clients.add(client)
    this.#startTimers()
    await this.#follow(client)
  }

  /** Ends every stream (clients resume with Last-Event-ID) and stops the timers; runs before the server closes. */
  async close (): Promise<void> {
    this.#closed = true
    this.#stopTimers()
    for (const client of this.#clients) this.#end(client)
    this.#wakePollWaiters()
    await this.#polling?.catch(() => {})
  }

  async #catchUp (client: Client): Promise<void> {
    for (;;) {
      if (client.closed) return
      const page = await readSealedEvents(this.#db, client.lastSent.toString(), PAGE)
      for (const event of page) {
        if (client.closed) return
        if (!client.raw.write(sseFrame(event))) await this.#drained(client)
        client.lastSent = BigInt(event.sequence)
      }
      if (page.length === PAGE) continue
      // Nobody is live yet: the poller reads the head from the database (never from a client).
      if (this.#head === null && !client.closed) await this.#poll()
      if (this.#join(client)) return
      // Nothing new in the database yet the poller is ahead or not started: reading again at once
      // would find the same nothing. Wait for the poller's next read instead of spinning.
      if (page.length === 0) await this.#nextPoll()
    }
  }

  /** Resolves when the poll after this call has finished (or the hub has no clients left). */
  #nextPoll (): Promise<void> {
    return new Promise<void>((resolve) => this.#pollWaiters.push(resolve))
  }

  #wakePollWaiters (): void {
    for (const wake of this.#pollWaiters.splice(0)) wake()
  }

  /** Joins the live tail if nothing is missing between the client's position and the poller's. */
  #join (client: Client): boolean {
    if (client.closed) return true
    // The poller has not read the head yet: the client cannot know what it might miss.
    if (this.#head === null) return false
    if (this.#head <= client.lastSent) {
      // The poller has read nothing this client lacks (the client's position leaves #head alone:
      // the poller's broadcasts skip what the client already has).
      client.live = true
      return true
    }
    const first = this.#recent[0]
    if (first === undefined || first.sequence > client.lastSent + 1n) return false
    // Live first, so that a client overflowing on the bridge falls behind again the usual way.
    client.live = true
    for (const { sequence, frame } of this.#recent) {
      if (!client.live) break
      if (sequence > client.lastSent) this.#send(client, frame, sequence)
    }
    return true
  }

  async #drained (client: Client): Promise<void> {
    if (client.closed || !client.raw.writableNeedDrain) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); reject(new Error('client did not read its stream in time')) }, this.drainTimeoutMs)
      const done = () => { cleanup(); resolve() }
      const cleanup = () => {
        clearTimeout(timer)
        client.raw.off('drain', done)
        client.raw.off('close', done)
      }
      client.raw.on('drain', done)
      client.raw.on('close', done)
    })
  }

  #send (client: Client, frame: string, sequence: bigint): void {
    if (client.closed || sequence <= client.lastSent) return
    client.raw.write(frame)
    client.lastSent = sequence
    if (client.live && client.raw.writableLength > this.maxBufferBytes) {
      // Behind the live tail: stop buffering for it and let it catch up at its own pace from the
      // database. One that accepts nothing for drainTimeoutMs is ended (it resumes with Last-Event-ID).
      client.live = false
      void this.#follow(client)
    }
  }

  /** Catches a client up from the database until it can join the live tail; ends it on failure. */
  async #follow (client: Client): Promise<void> {
    try {
      await this.#drained(client)
      await this.#catchUp(client)
    } catch (error) {
      // Too slow, or the database failed: the client reconnects with Last-Event-ID.
      this.#log?.info({ err: { message: (error as Error).message } }, 'ending an event stream client')
      client.closed = true
      client.raw.destroy()
      this.#drop(client)
    }
  }

  #poll (): Promise<void> {
    if (this.#polling) {
      this.#pollAgain = true
      return this.#polling
    }
    this.#polling = this.#pollLoop().finally(() => {
      this.#polling = undefined
      this.#wakePollWaiters()
    })
    return this.#polling
  }

  async #pollLoop (): Promise<void> {
    do {
      this.#pollAgain = false
      if (this.#closed || this.#clients.size === 0) return
      if (this.#head === null) {
        // First look since a client connected: start at the newest sealed sequence in the database.
        const head = BigInt(await feedHead(this.#db))
        this.pollReads++
        if (this.#clients.size === 0) return
        this.#head ??= head
      }
      for (;;) {
        const events = await readSealedEvents(this.#db, this.#head.toString(), PAGE)
        this.pollReads++
        if (events.length === 0 || this.#closed) break
        this.#broadcast(events)
        if (events.length < PAGE) break
      }
    } while (this.#pollAgain && !this.#closed)
  }

  #broadcast (events: SealedEvent[]): void {
    for (const event of events) {
      const sequence = BigInt(event.sequence)
      // Feed sequences are contiguous: anything else means a bug, not a reason to skip.
      if (this.#head !== null && sequence !== this.#head + 1n) {
        this.#log?.error({ expected: String(this.#head + 1n), got: event.sequence }, 'event stream: non-contiguous sequence')
      }
      const frame = sseFrame(event)
      this.#head = sequence
      this.#recent.push({ sequence, frame })
      for (const client of this.#clients) {
        if (client.live) this.#send(client, frame, sequence)
      }
    }
    if (this.#recent.length > RECENT) this.#recent = this.#recent.slice(-RECENT)
  }

  #startTimers (): void {
    if (this.#pollTimer === undefined) {
      const tick = () => {
        this.#poll()
          .catch((error: unknown) => this.#log?.error({ err: { message: (error as Error).message } }, 'event stream poll failed'))
          .finally(() => {
            if (this.#pollTimer !== undefined) this.#pollTimer = setTimeout(tick, this.pollMs).unref()
          })
      }
      this.#pollTimer = setTimeout(tick, this.pollMs).unref()
    }
    if (this.#heartbeatTimer === undefined) {
      this.#heartbeatTimer = setInterval(() => {
        for (const client of this.#clients) if (!client.closed) client.raw.write(': heartbeat\n\n')
      }, this.heartbeatMs).unref()
    }
  }

  #stopTimers (): void {
    clearTimeout(this.#pollTimer)
    clearInterval(this.#heartbeatTimer)
    this.#pollTimer = undefined
    this.#heartbeatTimer = undefined
  }

  #end (client: Client): void {
    if (!client.closed) {
      client.closed = true
      client.raw.end()
      // A client that does not read may never let end() finish; do not let it hold the server open.
      setTimeout(() => client.raw.destroy(), 1_000).unref()
    }
    this.#drop(client)
  }

  #drop (client: Client): void {
    client.closed = true
    this.#clients.delete(client)
    if (this.#clients.size === 0) {
      this.#stopTimers()
      // Without clients nobody keeps the head current; the next one starts afresh.
      this.#head = null
      this.#recent = []
      this.#wakePollWaiters()
    }
  }
}
