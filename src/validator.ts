import type { FastifySchemaCompiler } from 'fastify'
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'

/*
 * Requests are validated by the route's zod schema, compiled by zod itself (`z.compile`): a
 * generated parser for the valid input, which is almost all of it, in a bit over half of the
 * runtime parser's time for a submission (bench/README.md, session 9). An input the compiled parser
 * refuses is parsed again by the runtime parser, so every 400 names the same problems, in the same
 * words, as without compilation. A schema zod cannot compile stays on the runtime parser.
 */
const compiled = new WeakMap<z.ZodType, z.ZodType>()

export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  let schema = compiled.get(route.schema)
  if (schema === undefined) {
    schema = z.compile(route.schema)
    compiled.set(route.schema, schema)
  }
  return zodValidatorCompiler({ ...route, schema })
}
