import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { AppError } from '../errors.ts'
import { msg } from '../messages.ts'
import { createCheckpoint, listCheckpoints } from '../modules/audit/checkpoints.ts'
import { verifyChain } from '../modules/audit/verify.ts'
import { AuditKeySetSchema, CheckpointListQuery, CheckpointPageSchema, CheckpointSchema, VerifyResultSchema } from '../schemas/audit.ts'
import { problemResponses } from '../schemas/common.ts'

const auditRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/v1/audit/verify', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['events'],
      summary: 'Verify the audit chain',
      description: [
        'Recomputes every link of the hash chain (sequence by sequence, in batches) and checks that every stored',
        'event is chained or queued for sealing and that the chain still holds what the latest signed checkpoint',
        'vouches for. Detects changed, deleted and inserted events and a cut-off tail. Answers 200 either way:',
        '`{ ok: true, events }` or `{ ok: false, firstInvalidSequence, reason }`. Takes about a second per 100,000 events.'
      ].join('\n'),
      response: { 200: VerifyResultSchema, ...problemResponses() }
    }
  }, async () => verifyChain(fastify.database, { trustedKeys: await fastify.trustedAuditKeys() }))

  fastify.get('/v1/audit/keys', {
    config: { access: { roles: ['admin', 'integration'] } },
    schema: {
      tags: ['events'],
      summary: 'The public keys that sign audit checkpoints',
      description: [
        'A JSON Web Key Set: the key that signs checkpoints now first, then the retired keys that signed earlier ones',
        '(they stay listed, so checkpoints you kept still verify after a rotation). Fetch it once and pin these keys:',
        'verify a checkpoint with the key its `kid` names from your pinned copy, never with the key a checkpoint',
        'carries itself, and treat a `kid` you have not pinned as a question for the operator. GET /v1/audit/verify',
        'trusts these keys only. Public keys only; never a private part.'
      ].join('\n'),
      response: { 200: AuditKeySetSchema, ...problemResponses() }
    }
  }, async () => ({ keys: await fastify.trustedAuditKeys() }))

  fastify.get('/v1/audit/checkpoints', {
    config: { access: { roles: ['admin', 'integration'] } },
    schema: {
      tags: ['events'],
      summary: 'Signed checkpoints of the audit chain',
      description: [
        'Newest first. Each is a JWS over `{ sequence, hash, time }`; verify it with the key its `kid` names in',
        'GET /v1/audit/keys (pinned on your side), not with the `key` it carries. Keep them:',
        'a checkpoint you hold proves what the chain contained up to its sequence, so a tail cut off later is',
        'detectable. The service signs one every minute when the head has moved (and on POST).'
      ].join('\n'),
      querystring: CheckpointListQuery,
      response: { 200: CheckpointPageSchema, ...problemResponses() }
    }
  }, async (request) => listCheckpoints(fastify.db, request.query))

  fastify.post('/v1/audit/checkpoints', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['events'],
      summary: 'Sign a checkpoint of the current chain head now',
      description: [
        '201 with the new checkpoint; 200 with the latest one when it already names the current head (nothing new',
        'was sealed since). 409 when no event has been sealed yet, or when the chain no longer extends the latest',
        'checkpoint (run GET /v1/audit/verify). No request body.'
      ].join('\n'),
      response: { 200: CheckpointSchema, 201: CheckpointSchema, ...problemResponses(409) }
    }
  }, async (_request, reply) => {
    const result = await createCheckpoint(fastify.database, fastify.checkpointSigner, { wait: true })
    if (result === null) throw new AppError('STATE_CONFLICT', msg('nothingSealed'))
    return reply.code(result.created ? 201 : 200).send(result.checkpoint)
  })
}

export default auditRoutes
