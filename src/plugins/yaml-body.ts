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
  // a loop, not Math.max(...lines): 130,000 arguments overflow the stack
  let indentation = 0
  for (const line of source.split('\n')) indentation = Math.max(indentation, line.length - line.trimStart().length)
  return Math.max(deepest, Math.ceil(indentation / 2))
}

/** Whether a parsed value nests deeper than `limit` levels (iterative: a deep JSON body cannot overflow the stack here). */
export function nestedDeeperThan (value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (typeof node !== 'object' || node === null) continue
    if (depth >= limit) return true
    for (const child of Object.values(node)) stack.push([child, depth + 1])
  }
  return false
}

/** Whether an alias makes a value contain itself (`a: &x [*x]`): no JSON, Helm or Kubernetes value can. */
export function isSelfReferencing (value: unknown): boolean {
  const open = new Set<object>()
  const done = new Set<object>()
  const visit = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null || done.has(node)) return false
    if (open.has(node)) return true
    open.add(node)
    const cyclic = Object.values(node).some(visit)
    open.delete(node)
    done.add(node)
    return cyclic
  }
  return visit(value)
}

export function parseYamlDocument (source: string): unknown {
  if (nestingDepth(source) > MAX_NESTING) throw new InvalidYamlError(`nested deeper than ${MAX_NESTING} levels`)
  let document: unknown
  try {
    document = parse(source, { maxAliasCount: MAX_ALIASES, uniqueKeys: true, logLevel: 'error', prettyErrors: false })
  } catch (error) {
    throw new InvalidYamlError((error as Error).message.split('\n')[0])
  }
  if (isSelfReferencing(document)) throw new InvalidYamlError('an alias refers to a node that contains it: a value cannot contain itself')
  return document
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
