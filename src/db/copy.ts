import { PGlite } from '@electric-sql/pglite'
import { to as copyTo } from 'pg-copy-streams'
import type { Database } from './client.ts'

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

  /** The field's bytes (a view into this result's own buffer), or null for NULL. */
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
 * rendered itself, such as numbers. Each result is held in memory whole, in a buffer of its own
 * (its rows stay valid for as long as they are held), so callers read in bounded batches.
 */
export class CopyReader {
  readonly #client: Database['client']
  readonly #width: number
  readonly #set: string[]

  constructor (database: Database, opts: { width: number, settings?: Record<string, string> }) {
    this.#client = database.client
    this.#width = opts.width
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
    const connection = await client.connect()
    let failure: Error | undefined
    try {
      await connection.query('begin')
      for (const statement of this.#set) await connection.query(statement)
      const chunks: Buffer[] = []
      for await (const chunk of connection.query(copyTo(`copy (${select}) to stdout with (format binary)`)) as AsyncIterable<Buffer>) chunks.push(chunk)
      await connection.query('commit')
      return new CopyRows(Buffer.concat(chunks), this.#width)
    } catch (error) {
      // The connection may be mid-COPY or in a failed transaction: the pool discards it.
      failure = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      connection.release(failure)
    }
  }
}
