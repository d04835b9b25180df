import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import type { Db } from './client.ts'

/**
 * The rows of a query as bytes: PostgreSQL's binary COPY format, where a text value is its UTF-8
 * bytes as stored. For readers that need the bytes rather than the values: verification hashes a
 * million event bodies, and a row from the driver would decode each body to a string that the
 * hash then encodes back (decoding was ~19 % of verification's CPU time, garbage collection ~23 %).
 *
 * The constructor records where each field's bytes start and end; a NULL has no bytes.
 */
export class CopyRows {
  readonly count: number
  readonly #bytes: Buffer
  readonly #width: number
  /** Per field of each row, its start and end offset in `bytes` (end -1: NULL). */
  readonly #spans: Int32Array

  constructor (bytes: Buffer, width: number) {
    this.#bytes = bytes
    this.#width = width
    if (bytes.length < HEADER.length + 8 || !bytes.subarray(0, HEADER.length).equals(HEADER)) throw new Error('not a binary COPY result')
    let at = HEADER.length + 4
    at += 4 + bytes.readUInt32BE(at) // the header extension
    const spans: number[] = []
    for (let fields = bytes.readInt16BE(at); fields !== -1; fields = bytes.readInt16BE(at)) {
      if (fields !== width) throw new Error(`binary COPY row of ${fields} fields, expected ${width}`)
      at += 2
      for (let f = 0; f < width; f++) {
        const length = bytes.readInt32BE(at)
        at += 4
        spans.push(at, length === -1 ? -1 : at + length)
        if (length > 0) at += length
      }
    }
    this.#spans = Int32Array.from(spans)
    this.count = spans.length / 2 / width
  }

  /** The field's bytes (a view, not a copy), or null for NULL. */
  bytes (row: number, field: number): Buffer | null {
    const i = 2 * (row * this.#width + field)
    const end = this.#spans[i + 1]!
    return end === -1 ? null : this.#bytes.subarray(this.#spans[i], end)
  }

  /** The field as text, for short ASCII values such as numbers rendered as text and hex digests. */
  ascii (row: number, field: number): string | null {
    const i = 2 * (row * this.#width + field)
    const end = this.#spans[i + 1]!
    return end === -1 ? null : this.#bytes.toString('latin1', this.#spans[i], end)
  }
}

// "PGCOPY\n\377\r\n\0", then a 32-bit flags field and the header extension's length.
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/**
 * Runs selects as `copy (select) to stdout (format binary)`, each in a transaction of its own with
 * `settings` set locally. COPY takes no parameters: a select may contain only values the caller
 * rendered itself, such as numbers. A result is held in memory whole, so callers read in bounded
 * batches.
 *
 * On PostgreSQL the results are received into `keep` buffers that are kept and taken in turn:
 * allocating a fresh one per result (megabytes each, outside V8's heap) made V8 collect garbage
 * for the memory pressure about twice as often. So a result's bytes stay valid only until the
 * `keep`-th read after it: enough to check one batch while the next `keep - 1` are read.
 */
export class CopyReader {
  readonly #client: pg.Pool | PGlite
  readonly #width: number
  readonly #set: string[]
  readonly #buffers: Buffer[]
  #turn = 0

  constructor (db: Db, opts: { width: number, keep: number, settings?: Record<string, string> }) {
    this.#client = (db as unknown as { $client: pg.Pool | PGlite }).$client
    this.#width = opts.width
    this.#buffers = Array.from({ length: opts.keep }, () => Buffer.alloc(0))
    this.#set = Object.entries(opts.settings ?? {}).map(([name, value]) => `set local ${name} = ${value}`)
  }

  async read (select: string): Promise<CopyRows> {
    const client = this.#client
    if (client instanceof PGlite) {
      return client.transaction(async (tx) => {
        for (const statement of this.#set) await tx.exec(statement)
        // PGlite writes a COPY to its virtual /dev/blob and returns it with the result.
        const result = await tx.query(`copy (${select}) to '/dev/blob' with (format binary)`)
        return new CopyRows(Buffer.from(await result.blob!.arrayBuffer()), this.#width)
      })
    }
    const turn = this.#turn
    this.#turn = (turn + 1) % this.#buffers.length
    const connection = await client.connect()
    let failure: Error | undefined
    try {
      await connection.query('begin')
      for (const statement of this.#set) await connection.query(statement)
      let buffer = this.#buffers[turn]!
      let length = 0
      for await (const chunk of connection.query(copyTo(`copy (${select}) to stdout with (format binary)`)) as AsyncIterable<Buffer>) {
        if (length + chunk.length > buffer.length) {
          const grown = Buffer.allocUnsafe(Math.max(2 * buffer.length, length + chunk.length, 1 << 20))
          buffer.copy(grown, 0, 0, length)
          this.#buffers[turn] = buffer = grown
        }
        length += chunk.copy(buffer, length)
      }
      await connection.query('commit')
      return new CopyRows(buffer.subarray(0, length), this.#width)
    } catch (error) {
      // The connection may be mid-COPY or in a failed transaction: the pool discards it.
      failure = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      connection.release(failure)
    }
  }
}
