// Parses YAML request bodies safely: size is capped by the body limit, alias expansion by the yaml
// library (billion-laughs documents are rejected), nesting depth here before the parser recurses.
import type { FastifyInstance } from 'fastify'
import { parse } from 'yaml'
import { InvalidYamlError } from '../errors.js'

export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml']
export const MAX_NESTING = 64
const MAX_ALIASES = 100

/** Nesting of flow collections, or indentation in steps of two, whichever is deeper. */
export function nestingDepth (source: string): number {
  let depth = 0
  let deepest = 0
  for (const character of source) {
    if (character === '[' || character === '{') deepest = Math.max(deepest, ++depth)
    else if (character === ']' || character === '}') depth--
  }
  const indentation = Math.max(0, ...source.split('\n').map((line) => line.length - line.trimStart().length))
  return Math.max(deepest, Math.ceil(indentation / 2))
}

export function parseYamlDocument (source: string): unknown {
  if (nestingDepth(source) > MAX_NESTING) throw new InvalidYamlError(`nested deeper than ${MAX_NESTING} levels`)
  try {
    return parse(source, { maxAliasCount: MAX_ALIASES, uniqueKeys: true, logLevel: 'error', prettyErrors: false })
  } catch (error) {
    throw new InvalidYamlError((error as Error).message.split('\n')[0])
  }
}

export function registerYamlBodies (app: FastifyInstance): void {
  app.addContentTypeParser(YAML_MEDIA_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseYamlDocument(body as string))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}
