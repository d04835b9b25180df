import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { calculateJwkThumbprint, CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK, type ProtectedHeaderParameters } from 'jose'
import type { Config } from '../../config.ts'
import type { Database, Db } from '../../db/client.ts'
import { AppError } from '../../errors.ts'
import { msg } from '../../messages.ts'
import { notACursor } from '../pagination.ts'
import { AuditRepository, type CheckpointRow } from '../../repositories/audit.ts'

export interface CheckpointSigner {
  kid: string
  alg: 'EdDSA' | 'ES256'
  /** The public key, with `kid`, as listed beside every checkpoint and by GET /v1/audit/keys. */
  publicJwk: AuditPublicKey
  sign (payload: CheckpointPayload): Promise<string>
}

/** A public key checkpoints may be signed with, as GET /v1/audit/keys lists it. */
export interface AuditPublicKey {
  kty: 'OKP' | 'EC'
  crv: 'Ed25519' | 'P-256'
  x: string
  /** EC keys only. */
  y?: string
  kid: string
  alg: 'EdDSA' | 'ES256'
  use: 'sig'
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

function algorithmOf (jwk: JWK): 'EdDSA' | 'ES256' {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256'
  throw new Error('the audit signing key must be an Ed25519 (OKP) or P-256 (EC) private JWK')
}

/**
 * Only the members that make up the public key are copied, by name: whatever else a configured
 * JWK carries (a private part above all) never reaches a header or a response.
 */
function publicAuditKey (jwk: JWK, kid: string): AuditPublicKey {
  const alg = algorithmOf(jwk)
  return alg === 'EdDSA'
    ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid, alg, use: 'sig' }
    : { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, kid, alg, use: 'sig' }
}

function sameKey (a: JWK, b: JWK): boolean {
  return a.kty === b.kty && a.crv === b.crv && a.x === b.x && a.y === b.y
}

async function signerFor (privateJwk: JWK): Promise<CheckpointSigner> {
  const alg = algorithmOf(privateJwk)
  // RFC 7638: the thumbprint is of the public members only, whatever else the JWK holds.
  const kid = privateJwk.kid ?? await calculateJwkThumbprint(privateJwk)
  const publicJwk = publicAuditKey(privateJwk, kid)
  const key = await importJWK({ ...privateJwk, alg }, alg)
  return {
    kid,
    alg,
    publicJwk,
    sign: (payload) => new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      // The header names the key for readers of a single checkpoint; verification never takes it
      // from there, only from the pinned set (trustedAuditKeys), else whoever rewrites the chain
      // could vouch for it with a key of their own.
      .setProtectedHeader({ alg, kid, jwk: publicJwk })
      .sign(key)
  }
}

async function generatePrivateJwk (): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const jwk = await exportJWK(privateKey)
  jwk.kid = await calculateJwkThumbprint(jwk)
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

/**
 * The keys a checkpoint may be signed with: the current signer's first, then AUDIT_RETIRED_JWKS.
 * Configuration alone decides them, never the database: whoever can rewrite the chain can write a
 * checkpoint row, and a key that row names, too.
 */
export function trustedAuditKeys (signer: () => Promise<CheckpointSigner>, retired: Config['auditRetiredKeys']): () => Promise<AuditPublicKey[]> {
  const retiredKeys = retired.map((jwk) => publicAuditKey(jwk as JWK, jwk.kid as string))
  return async () => {
    const current = (await signer()).publicJwk
    const clash = retiredKeys.find((key) => key.kid === current.kid && !sameKey(key, current))
    // Two keys under one kid would leave integrators who pin by kid guessing which one is meant.
    if (clash) throw new Error(`AUDIT_RETIRED_JWKS lists kid "${clash.kid}", the current signing key's kid, for a different key`)
    // The current key may also be listed as retired ahead of a rotation: listed once.
    return [current, ...retiredKeys.filter((key) => key.kid !== current.kid)]
  }
}

// Checkpoint writers take turns across processes.
const CHECKPOINT_LOCK_KEY = 7_202_613

/** Null when `jws` is not a JWS: a row written outside the service may hold anything. */
function headerOf (jws: string): ProtectedHeaderParameters | null {
  try {
    return decodeProtectedHeader(jws)
  } catch {
    return null
  }
}

function toCheckpoint (row: CheckpointRow): Checkpoint {
  const header = headerOf(row.jws) ?? {}
  return { sequence: row.sequence, hash: row.hash, time: row.time, jws: row.jws, key: { ...(header.jwk ?? {}), ...(header.kid ? { kid: header.kid } : {}) } as JWK }
}

/**
 * Signs the current chain head, unless the latest checkpoint already names it. `wait: false`
 * (the schedule) skips when another process is making one; `wait: true` (on demand) waits its
 * turn. Null when there is nothing to sign (no event sealed yet, or skipped).
 */
export async function createCheckpoint (database: Database, signer: () => Promise<CheckpointSigner>, opts: { wait: boolean }): Promise<{ checkpoint: Checkpoint, created: boolean } | null> {
  return database.transaction(async (tx) => {
    const audit = new AuditRepository(tx)
    if (!await audit.lockCheckpoints(CHECKPOINT_LOCK_KEY, opts.wait)) return null
    const head = await audit.headLink()
    if (!head) return null
    const [latest] = await audit.checkpoints({ limit: 1 })
    if (latest && BigInt(latest.sequence) >= BigInt(head.sequence)) {
      if (latest.sequence === head.sequence && latest.hash === head.hash) return { checkpoint: toCheckpoint(latest), created: false }
      // The chain lost (or replaced) what an earlier checkpoint vouched for: signing the head now
      // would paper over that. GET /v1/audit/verify names the first bad link.
      throw new AppError('STATE_CONFLICT', msg('chainBehindCheckpoint', { head: head.sequence, latest: latest.sequence }))
    }
    const payload: CheckpointPayload = { sequence: head.sequence, hash: head.hash, time: new Date().toISOString() }
    const jws = await (await signer()).sign(payload)
    return { checkpoint: toCheckpoint(await audit.insertCheckpoint({ ...payload, jws })), created: true }
  })
}

const SEQUENCE_CURSOR = /^[1-9]\d{0,17}$/

/** GET /v1/audit/checkpoints: newest first; the cursor is the sequence of the last one on the page. */
export async function listCheckpoints (db: Db, query: { limit: number, cursor?: string | undefined }): Promise<{ items: Checkpoint[], nextCursor: string | null }> {
  if (query.cursor !== undefined && !SEQUENCE_CURSOR.test(query.cursor)) throw notACursor()
  const rows = await new AuditRepository(db).checkpoints({ before: query.cursor, limit: query.limit + 1 })
  const more = rows.length > query.limit
  const page = more ? rows.slice(0, query.limit) : rows
  return { items: page.map(toCheckpoint), nextCursor: more ? page[page.length - 1]!.sequence : null }
}

/** The newest checkpoint (by sequence), or null. */
export async function latestCheckpoint (db: Db): Promise<Checkpoint | null> {
  const [row] = await new AuditRepository(db).checkpoints({ limit: 1 })
  return row ? toCheckpoint(row) : null
}

/** Key ids come from the row; a forged one may be anything, of any length. */
function quoted (kid: string): string {
  return JSON.stringify(kid.length > 80 ? `${kid.slice(0, 80)}…` : kid)
}

/**
 * Checks a checkpoint's signature against the pinned keys (trustedAuditKeys), chosen by the `kid`
 * in its header, and returns what it signed, or why it cannot be trusted. A key the checkpoint
 * carries itself is never used: at most it can contradict the pinned one.
 */
export async function verifyCheckpointSignature (checkpoint: Pick<Checkpoint, 'jws'>, trusted: readonly AuditPublicKey[]): Promise<{ payload: CheckpointPayload } | { error: string }> {
  const header = headerOf(checkpoint.jws)
  if (header === null) return { error: 'the signature is not a JWS (its header cannot be read)' }
  if (typeof header.kid !== 'string') return { error: 'the signature names no key (no kid in its header)' }
  const key = trusted.find((k) => k.kid === header.kid)
  if (!key) return { error: `the signature is by key ${quoted(header.kid)}, which is not one of this service's audit keys (GET /v1/audit/keys)` }
  if (header.jwk !== undefined && !(typeof header.jwk === 'object' && header.jwk !== null && sameKey(header.jwk, key))) {
    return { error: `the signature's header carries a public key other than the service's key ${quoted(key.kid)}` }
  }
  if (header.alg !== key.alg) return { error: `the signature's algorithm (${String(header.alg)}) is not the one the service's key ${quoted(key.kid)} signs with (${key.alg})` }
  let payload: Uint8Array
  try {
    payload = (await compactVerify(checkpoint.jws, await importJWK(key, key.alg), { algorithms: [key.alg] })).payload
  } catch (error) {
    return { error: `the signature does not verify with the service's key ${quoted(key.kid)} (${(error as Error).message})` }
  }
  try {
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as CheckpointPayload
    if (typeof parsed.sequence !== 'string' || typeof parsed.hash !== 'string') return { error: 'the signed payload is not a checkpoint' }
    return { payload: parsed }
  } catch {
    return { error: 'the signed payload is not a checkpoint' }
  }
}
