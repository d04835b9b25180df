import fastJsonStringify from 'fast-json-stringify'
import type { FastifySerializerCompiler } from 'fastify/types/schema.js'
import { z } from 'zod'

type Serialize = (data: unknown) => string

/*
 * Responses are written by fast-json-stringify from the route's zod response schema, converted
 * once to JSON Schema: the same schema that documents the response (OpenAPI) decides what leaves
 * the service. Like zod's encode it writes only the properties the schema names (a field added to
 * a row never leaks) and fails on a missing required one, but it does not re-validate every value
 * on the way out (fastify's own way of writing responses). The handlers' return types are checked
 * against the same schemas at compile time.
 */
const compiled = new WeakMap<z.ZodType, Serialize>()

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  if (!(schema instanceof z.ZodType)) throw new Error('response schemas are zod schemas')
  let serialize = compiled.get(schema)
  if (serialize === undefined) {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' })
    serialize = fastJsonStringify(nullableUnions(jsonSchema) as Parameters<typeof fastJsonStringify>[0]) as Serialize
    compiled.set(schema, serialize)
  }
  return serialize
}

/**
 * `T | null` comes out of zod as `anyOf: [T, {type: 'null'}]`, for which fast-json-stringify
 * validates every value against both branches to pick one; `nullable: true` on T says the same
 * and writes directly.
 */
function nullableUnions (node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableUnions)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) out[key] = nullableUnions(value)
  const anyOf = out.anyOf
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullAt = anyOf.findIndex((s: Record<string, unknown>) => s.type === 'null' && Object.keys(s).length === 1)
    if (nullAt !== -1) {
      const { anyOf: _, ...rest } = out
      return { ...rest, ...(anyOf[1 - nullAt] as Record<string, unknown>), nullable: true }
    }
  }
  return out
}
