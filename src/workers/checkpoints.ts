import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/client.ts'
import { createCheckpoint, type CheckpointSigner } from '../modules/audit/checkpoints.ts'
import { safe } from './loop.ts'

export interface CheckpointWorkerOptions {
  database: Database
  signer: () => Promise<CheckpointSigner>
  log?: FastifyBaseLogger | undefined
  /** How often the head is signed when it has moved. */
  intervalMs?: number
}

/**
 * Signs the chain head on a schedule when it has moved since the latest checkpoint. Every process
 * runs one; the advisory lock in createCheckpoint and "only when the head moved" mean one
 * checkpoint per interval, whichever process gets there first.
 */
export class CheckpointWorker {
  readonly #database: Database
  readonly #signer: () => Promise<CheckpointSigner>
  readonly #log: FastifyBaseLogger | undefined
  readonly #intervalMs: number
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> | undefined

  constructor (opts: CheckpointWorkerOptions) {
    this.#database = opts.database
    this.#signer = opts.signer
    this.#log = opts.log
    this.#intervalMs = opts.intervalMs ?? 60_000
  }

  start (): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (this.#running) return
      this.#running = createCheckpoint(this.#database, this.#signer, { wait: false })
        .then((result) => {
          if (result?.created) this.#log?.info({ sequence: result.checkpoint.sequence }, 'audit checkpoint signed')
        })
        .catch((error: unknown) => this.#log?.error({ err: safe(error) }, 'signing an audit checkpoint failed'))
        .finally(() => { this.#running = undefined })
    }, this.#intervalMs).unref()
  }

  async stop (): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running
  }
}
