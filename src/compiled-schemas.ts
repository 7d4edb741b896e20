// Validators and serializers compiled ahead of time. `npm run compile-schemas` (scripts/
// compile-schemas.ts) records every schema the app compiles, writes ajv's standalone code for the
// validators and fast-json-stringify's standalone code for the serializers into generated/, and the
// app loads those modules instead of compiling each route's schemas at start (most of the start-up
// time). A schema that has no compiled function (generated/ older than the schemas) is compiled as
// before; test/compiled-schemas.test.ts fails when generated/ differs from what the schemas give.
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import type { FastifySchemaValidationError } from 'fastify'

/** A validator as fastify and the analyses use it: ajv's signature. */
export type Validator = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null }
export type Serializer = (data: unknown) => string

export type ValidatorPart = 'body' | 'querystring' | 'params' | 'headers'

/** The key of a route's validator: method, URL and request part; the analyses' models by name. */
export function validatorKey (method: string, url: string, httpPart: string): string {
  return `${method} ${url} ${httpPart}`
}

/** The key of a route's serializer: method, URL and status code. */
export function serializerKey (method: string, url: string, httpStatus: string): string {
  return `${method} ${url} ${httpStatus}`
}

/** The key of the validator of a model's scenario body (/diff, /sweep, /sensitivity). */
export function modelValidatorKey (model: string): string {
  return validatorKey('MODEL', model, 'body')
}

export interface CompiledSchemas {
  validators: ReadonlyMap<string, Validator>
  serializers: ReadonlyMap<string, Serializer>
  /**
   * Each model's figure names as GET /estimates lists them (generated/catalogue-figures.json): the
   * catalogue finds them by running every model's example, a tenth of a CLI call. None: run them.
   */
  figures?: ReadonlyMap<string, readonly string[]>
}

/** What generated/index.json lists: each key with the export that holds its function. */
export interface CompiledIndex {
  /** key -> [module, export]: module 'body' or 'query' (two ajv settings), the export's name */
  validators: Record<string, ['body' | 'query', string]>
  /** key -> the serializer's name in serializers.cjs */
  serializers: Record<string, string>
}

export const GENERATED_DIRECTORY = new URL('../generated/', import.meta.url)
/** The file of CompiledSchemas.figures in generated/. */
export const CATALOGUE_FIGURES = 'catalogue-figures.json'

/** The compiled functions in generated/, or none when it has not been generated. */
export function loadCompiledSchemas (directory: URL = GENERATED_DIRECTORY): CompiledSchemas {
  const indexUrl = new URL('index.json', directory)
  if (!existsSync(indexUrl)) return { validators: new Map(), serializers: new Map() }
  const require = createRequire(indexUrl)
  const index = require('./index.json') as CompiledIndex
  const modules = { body: require('./body-validators.cjs') as Record<string, Validator>, query: require('./query-validators.cjs') as Record<string, Validator> }
  const serializers = require('./serializers.cjs') as Record<string, Serializer>
  const figures = require(`./${CATALOGUE_FIGURES}`) as Record<string, string[]>
  return {
    validators: new Map(Object.entries(index.validators).map(([key, [module, name]]) => [key, modules[module][name]])),
    serializers: new Map(Object.entries(index.serializers).map(([key, name]) => [key, serializers[name]])),
    figures: new Map(Object.entries(figures))
  }
}
