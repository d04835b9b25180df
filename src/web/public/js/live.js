// Live updates: a page follows the audit feed as Server-Sent Events (GET /v1/events/stream) and
// reads its data again when an event that changes it arrives. EventSource sends no Authorization
// header, so each connection opens with a single-use ticket (POST /v1/events/stream-tickets); as
// EventSource would reconnect with the same, used-up URL, an error closes it and a new one opens
// with a fresh ticket after a pause, from the last event received.
import { api, ApiError } from './api.js'

const FIRST_PAUSE_MS = 2_000
const LONGEST_PAUSE_MS = 60_000

/** @typedef {{ ticket: string, expiresAt: string, head: string }} StreamTicket */

/**
 * The first ticket, taken before the page reads its data: the stream then starts at its `head`,
 * so that nothing the page has not read is missed. Null when the caller may not follow the feed.
 * @returns {Promise<StreamTicket | null>}
 */
export async function firstTicket () {
  try {
    return await api('/v1/events/stream-tickets', { method: 'POST' })
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null
    throw error
  }
}

/**
 * Follows the feed from `ticket.head` and calls `changed` when events of `types` arrive (once at a
 * time: events during a call lead to one more call). Returns the function that stops following.
 * @param {StreamTicket} ticket from firstTicket
 * @param {readonly string[]} types the event types that change what the page shows
 * @param {() => Promise<void>} changed
 * @returns {() => void}
 */
export function followFeed (ticket, types, changed) {
  let after = ticket.head
  let pause = FIRST_PAUSE_MS
  let stopped = false
  /** @type {EventSource | null} */
  let source = null
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  /** @type {Promise<void> | null} */
  let running = null
  let again = false

  const refresh = () => {
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        await changed().catch(() => {})
      } while (again)
      running = null
    })()
  }

  /** @param {string} value */
  const open = (value) => {
    if (stopped) return
    source = new window.EventSource(`/v1/events/stream?${new URLSearchParams({ ticket: value, after })}`)
    source.onopen = () => { pause = FIRST_PAUSE_MS }
    for (const type of types) {
      source.addEventListener(type, (event) => {
        after = /** @type {MessageEvent} */ (event).lastEventId || after
        refresh()
      })
    }
    source.onerror = () => {
      source?.close()
      source = null
      timer = setTimeout(reconnect, pause)
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS)
    }
  }

  const reconnect = async () => {
    if (stopped) return
    try {
      const fresh = await firstTicket()
      // Signed out or no longer allowed: stop quietly; the page itself still shows.
      if (fresh) open(fresh.ticket)
    } catch {
      timer = setTimeout(reconnect, pause)
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS)
    }
  }

  open(ticket.ticket)
  return () => {
    stopped = true
    clearTimeout(timer)
    source?.close()
  }
}
