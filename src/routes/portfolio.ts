import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { readPortfolio } from '../modules/portfolio/portfolio.ts'
import { problemResponses } from '../schemas/common.ts'
import { PortfolioPage, PortfolioQuery } from '../schemas/portfolio.ts'

/** The council's portfolio of followed projects, per half-year. */
const portfolioRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/v1/portfolio', {
    config: { access: { roles: ['secretariat', 'admin'] } },
    schema: {
      tags: ['follow-up'],
      summary: 'The council\'s portfolio for a half-year',
      description: 'One row per project of the council with a letter, not withdrawn and not closed (completed) before the ' +
        'asked half-year began: its latest letter\'s risk profile, approved baseline, its status report of that half-year ' +
        'or null (`missingReport: true`; a report of another period never stands in for it, and the current half-year ' +
        'counts as not yet reported), and the council\'s latest follow-up track. Red rows first — the council\'s ' +
        'judgement, else the project\'s own overall — then by reference; keyset-paged (`limit`, `cursor`); `region` and ' +
        '`status` filter as on `/v1/projects`. A secretariat reads its own council\'s (`council` may be left out; another ' +
        'council → 403); an admin names the council (400 without).',
      querystring: PortfolioQuery,
      response: { 200: PortfolioPage, ...problemResponses(400, 403) }
    }
  }, async (request) => readPortfolio(fastify.db, request.caller, request.query))
}

export default portfolioRoutes
