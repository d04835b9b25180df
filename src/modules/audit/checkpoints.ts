import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { sql } from 'drizzle-orm'
import { calculateJwkThumbprint, CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { Config } from '../../config.ts'
import { queryRows, type Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'

export interface CheckpointSigner {
  kid: string
  alg: 'EdDSA' | 'ES256'
  /** The public key, with `kid`, as listed beside every checkpoint. */
  publicJwk: JWK
  sign (payload: CheckpointPayload): Promise<string>
}

/** What a checkpoint vouches for: the chain head at `time`. */
export interface CheckpointPayload {
  sequence: string
  hash: string
  time: string
}

export interface Checkpoint extends CheckpointPayload {
  jws: string
  key: JWK
}

const ALGORITHMS = ['EdDSA', 'ES256'] as const

function algorithmOf (jwk: JWK): 'EdDSA' | 'ES256' {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256'
  throw new Error('the audit signing key must be an Ed25519 (OKP) or P-256 (EC) private JWK')
}

function publicPart (jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ext: _ext, ...pub } = jwk
  return pub
}

async function signerFor (privateJwk: JWK): Promise<CheckpointSigner> {
  const alg = algorithmOf(privateJwk)
  const kid = privateJwk.kid ?? await calculateJwkThumbprint(publicPart(privateJwk))
  const publicJwk: JWK = { ...publicPart(privateJwk), kid, alg, use: 'sig' }
  const key = await importJWK({ ...privateJwk, alg }, alg)
  return {
    kid,
    alg,
    publicJwk,
    sign: (payload) => new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      // The public key travels in the header, so each checkpoint names the key that signed it;
      // verifiers should still pin the keys they trust (by kid or thumbprint).
      .setProtectedHeader({ alg, kid, jwk: publicPart(publicJwk) })
      .sign(key)
  }
}

async function generatePrivateJwk (): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const jwk = await exportJWK(privateKey)
  jwk.kid = await calculateJwkThumbprint(publicPart(jwk))
  return jwk
}

function loadOrCreateKeyFile (file: string): Promise<JWK> {
  try {
    return Promise.resolve(JSON.parse(readFileSync(file, 'utf8')) as JWK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return generatePrivateJwk().then((jwk) => {
    mkdirSync(dirname(file), { recursive: true })
    try {
      // 'wx' fails if another process created it meanwhile; then use theirs.
      writeFileSync(file, JSON.stringify(jwk), { flag: 'wx', mode: 0o600 })
      chmodSync(file, 0o600)
      return jwk
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyFile(file)
      throw error
    }
  })
}

/**
 * The checkpoint signing key, loaded on first use (most processes and tests never sign):
 * AUDIT_SIGNING_JWK, else a key file in the data folder created once, else a key in memory.
 */
export function checkpointSigner (config: Config['auditSigningKey']): () => Promise<CheckpointSigner> {
  let signer: Promise<CheckpointSigner> | undefined
  return () => {
    signer ??= (async () => {
      const jwk = config.mode === 'jwk'
        ? config.jwk as JWK
        : config.mode === 'file' ? await loadOrCreateKeyFile(config.file) : await generatePrivateJwk()
      return signerFor(jwk)
    })()
    signer.catch(() => { signer = undefined })
    return signer
  }
}

// Checkpoint writers take turns across processes.
const CHECKPOINT_LOCK_KEY = 7_202_613

interface CheckpointRow { sequence: string, hash: string, jws: string, time: string }

function toCheckpoint (row: CheckpointRow): Checkpoint {
  const header = decodeProtectedHeader(row.jws)
  return { sequence: row.sequence, hash: row.hash, time: row.time, jws: row.jws, key: { ...(header.jwk ?? {}), ...(header.kid ? { kid: header.kid } : {}) } as JWK }
}

const CHECKPOINT_COLUMNS = sql`sequence::text as sequence, hash, jws,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time`

/**
 * Signs the current chain head, unless the latest checkpoint already names it. `wait: false`
 * (the schedule) skips when another process is making one; `wait: true` (on demand) waits its
 * turn. Null when there is nothing to sign (no event sealed yet, or skipped).
 */
export async function createCheckpoint (db: Db, signer: () => Promise<CheckpointSigner>, opts: { wait: boolean }): Promise<{ checkpoint: Checkpoint, created: boolean } | null> {
  return db.transaction(async (tx) => {
    if (opts.wait) {
      await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK_KEY})`)
    } else {
      const [lock] = await queryRows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${CHECKPOINT_LOCK_KEY}) as locked`)
      if (!lock?.locked) return null
    }
    const [head] = await queryRows<{ sequence: string, hash: string }>(tx, sql`
      select c.sequence::text as sequence, c.hash from audit_chain c order by c.sequence desc limit 1`)
    if (!head) return null
    const [latest] = await queryRows<CheckpointRow>(tx, sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints k order by k.sequence desc limit 1`)
    if (latest && BigInt(latest.sequence) >= BigInt(head.sequence)) {
      if (latest.sequence === head.sequence && latest.hash === head.hash) return { checkpoint: toCheckpoint(latest), created: false }
      // The chain lost (or replaced) what an earlier checkpoint vouched for: signing the head now
      // would paper over that. GET /v1/audit/verify names the first bad link.
      throw new AppError('STATE_CONFLICT', `the chain head (${head.sequence}) does not extend the latest checkpoint (${latest.sequence}); run GET /v1/audit/verify`)
    }
    const payload: CheckpointPayload = { sequence: head.sequence, hash: head.hash, time: new Date().toISOString() }
    const jws = await (await signer()).sign(payload)
    const [row] = await queryRows<CheckpointRow>(tx, sql`
      insert into audit_checkpoints (sequence, hash, jws, created_at)
      values (${head.sequence}::bigint, ${head.hash}, ${jws}, ${payload.time}::timestamptz)
      returning ${CHECKPOINT_COLUMNS}`)
    return { checkpoint: toCheckpoint(row!), created: true }
  })
}

const SEQUENCE_CURSOR = /^[1-9]\d{0,17}$/

/** GET /v1/audit/checkpoints: newest first; the cursor is the sequence of the last one on the page. */
export async function listCheckpoints (db: Db, query: { limit: number, cursor?: string | undefined }): Promise<{ items: Checkpoint[], nextCursor: string | null }> {
  if (query.cursor !== undefined && !SEQUENCE_CURSOR.test(query.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'querystring /cursor: not a cursor of this list', {
      errors: [{ path: '/cursor', message: 'not a cursor of this list; pass nextCursor from the previous page unchanged' }]
    })
  }
  const rows = await queryRows<CheckpointRow>(db, sql`
    select ${CHECKPOINT_COLUMNS} from audit_checkpoints k
    ${query.cursor === undefined ? sql`` : sql`where k.sequence < ${query.cursor}::bigint`}
    order by k.sequence desc
    limit ${query.limit + 1}`)
  const more = rows.length > query.limit
  const page = more ? rows.slice(0, query.limit) : rows
  return { items: page.map(toCheckpoint), nextCursor: more ? page[page.length - 1]!.sequence : null }
}

/** The newest checkpoint (by sequence), or null. */
export async function latestCheckpoint (db: Db): Promise<Checkpoint | null> {
  const [row] = await queryRows<CheckpointRow>(db, sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints k order by k.sequence desc limit 1`)
  return row ? toCheckpoint(row) : null
}

/**
 * Checks a checkpoint's signature with the key in its header and returns what it signed, or a
 * reason it cannot be trusted.
 */
export async function verifyCheckpointSignature (checkpoint: Pick<Checkpoint, 'jws'>): Promise<{ payload: CheckpointPayload } | { error: string }> {
  try {
    const { payload } = await compactVerify(checkpoint.jws, async (header) => {
      if (!header.jwk || !ALGORITHMS.includes(header.alg as typeof ALGORITHMS[number])) throw new Error('no usable key in the header')
      return importJWK(header.jwk, header.alg)
    }, { algorithms: [...ALGORITHMS] })
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as CheckpointPayload
    if (typeof parsed.sequence !== 'string' || typeof parsed.hash !== 'string') return { error: 'the signed payload is not a checkpoint' }
    return { payload: parsed }
  } catch (error) {
    return { error: `the signature does not verify (${(error as Error).message})` }
  }
}
