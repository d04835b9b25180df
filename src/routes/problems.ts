import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, ERRORS, problemSlug, problemType, type ErrorCode } from '../errors.ts'
import { msg, TITLES } from '../messages.ts'
import { languageOf, varyByLanguage } from '../plugins/errors.ts'
import { PROBLEM_DESCRIPTIONS, ProblemSchema } from '../schemas/common.ts'

const ProblemKind = z.object({
  type: z.string().describe('The `type` of problems of this kind'),
  code: z.string().describe('The `code` of problems of this kind'),
  title: z.string().describe('In English, or in Danish with `Accept-Language: da`'),
  status: z.int()
}).meta({ id: 'ProblemKind' })

const KINDS = new Map((Object.keys(ERRORS) as ErrorCode[]).map((code) => [problemSlug(code), code]))

/** The problem types answer when dereferenced (RFC 9457 §3.1.1): what a kind of problem is. */
const problemRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/problems/:type', {
    config: { access: 'public' },
    schema: {
      tags: ['operations'],
      summary: 'A kind of problem: what a problem+json `type` stands for',
      params: z.object({ type: z.string().max(64) }),
      response: { 200: ProblemKind, 404: ProblemSchema.describe('No such problem type'), 429: ProblemSchema.describe(PROBLEM_DESCRIPTIONS[429]) }
    }
  }, async (request, reply) => {
    const code = KINDS.get(request.params.type)
    if (code === undefined) throw new AppError('NOT_FOUND', msg('noProblemType', { type: request.params.type }))
    const language = languageOf(request)
    varyByLanguage(reply, language)
    return { type: problemType(code), code, title: TITLES[code][language], status: ERRORS[code].status }
  })
}

export default problemRoutes
