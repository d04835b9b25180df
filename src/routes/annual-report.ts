import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { negotiateMediaType } from '../modules/negotiation.ts'
import { sendFile } from '../modules/file-reply.ts'
import { annualReportCsv, annualReportPdf, readAnnualReport } from '../modules/reports/annual-report.ts'
import { PdfSchema, problemResponses } from '../schemas/common.ts'
import { AnnualReportQuery, AnnualReportSchema } from '../schemas/reports.ts'

/** What the annual report answers in, JSON the default (no Accept, `*∕*`). */
const MEDIA_TYPES = ['application/json', 'text/csv', 'application/pdf'] as const

/** The council's year: letters, recommendations, portfolio, status lights and closures. */
const annualReportRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/v1/reports/annual', {
    config: { access: { roles: ['secretariat', 'admin'] } },
    schema: {
      tags: ['follow-up'],
      summary: 'The council\'s annual report',
      description: 'The council\'s year, counted from its letters, judgements and closures. A secretariat reads its own ' +
        'council\'s (`council` may be left out; another council → 403); an admin names the council (400 without). `year` ' +
        'runs from 2019 to the current year (else 400).\n\n' +
        '- `reviews`: the letters dated (Copenhagen date of issue) in the year, by risk profile; ' +
        '`medianWorkingDaysToLetter` is the median of the Danish working days (weekdays that are no public holiday, nor 5 ' +
        'June, 24 or 31 December) from the project\'s `submittedOn` to the letter\'s date — the mean of the middle two for an ' +
        'even count, one decimal, null without letters; `overdueLetters` are those dated after the project\'s ' +
        '`assessmentDueOn`.\n' +
        '- `recommendations`: the recommendations of those letters, in all and by category.\n' +
        '- `portfolio`: the projects of the council with a letter dated by 31 December, not withdrawn and not closed ' +
        '(`completedOn`) before 1 January, and the sum of their approved baselines\' `eligibleCostDkk`.\n' +
        '- `statusLights`, for `<year>-H1` and `<year>-H2`: among the projects followed in that half-year by the portfolio\'s ' +
        'rule (a letter dated by its end, not withdrawn, not closed before it began), the council\'s judgements of their ' +
        'reports of the half-year (`green`, `yellow`, `red`), the reports not yet judged (`unjudged`) and the projects ' +
        'without a report (`missing`; the current half-year counts as not yet reported).\n' +
        '- `closures`: the council\'s projects closed with `completedOn` in the year.\n\n' +
        'By `Accept`: `application/json` (the default), `text/csv` — one row per project of the year\'s portfolio in ' +
        'reference order, columns `reference;title;owner;council;riskProfile;letterDate;eligibleCostDkk;<year>-H1;<year>-H2` ' +
        '(the owner organisation\'s name, the council\'s Danish name, the latest letter dated by the year\'s end, and per ' +
        'half-year the council\'s judgement in Danish — `grøn`, `gul`, `rød` — or `ikke vurderet`, `mangler`, or empty when ' +
        'the project was not followed in that half-year). The CSV is UTF-8 with a byte order mark, `;`-separated with CRLF ' +
        'line ends and RFC 4180 quoting, so that Danish Excel opens it directly; it comes as an attachment ' +
        '(`aarsrapport-<council>-<year>.csv`) — or `application/pdf`: the report as an A4 PDF in Danish with the key ' +
        'figures and three charts (letters by risk profile, recommendations by category, the status lights per ' +
        'half-year), each with its figures as text (`inline; filename=aarsrapport-<council>-<year>.pdf`). An `Accept` ' +
        'that allows none of these → 406.',
      querystring: AnnualReportQuery,
      response: {
        200: {
          description: 'The annual report',
          content: {
            'application/json': { schema: AnnualReportSchema },
            'text/csv': { schema: z.string().describe('The year\'s portfolio, one row per project') },
            'application/pdf': { schema: PdfSchema }
          }
        },
        ...problemResponses(400, 403, 406)
      }
    }
  }, async (request, reply) => {
    const mediaType = negotiateMediaType(request.headers.accept, MEDIA_TYPES)
    reply.header('vary', 'Accept')
    if (mediaType === 'application/json') return readAnnualReport(fastify.db, request.caller, request.query)
    if (mediaType === 'application/pdf') {
      const { filename, pdf } = await annualReportPdf(fastify.db, request.caller, request.query)
      return sendFile(reply, { mediaType, disposition: 'inline', filename, body: pdf })
    }
    const { filename, stream } = annualReportCsv(fastify.db, request.caller, request.query)
    return sendFile(reply, { mediaType: 'text/csv; charset=utf-8', disposition: 'attachment', filename, body: stream })
  })
}

export default annualReportRoutes
