// Parses YAML request bodies in time linear in their size. The yaml library's own guards are not:
// its duplicate-key check compares every key with every other (40,000 keys held the event loop a
// minute), and its alias count re-walks the document for each alias (96 aliases in nested anchors:
// 15 s). So both are off, and two passes without recursion stand in for them: one over the parser's
// tokens, which stops a document too large or too deep before the composer (which recurses once a
// level) sees it, and one over the composed nodes, which refuses duplicate keys and counts exactly
// what aliases expand to.
import type { FastifyInstance } from 'fastify'
import { CST, Composer, Lexer, Parser, YAMLParseError, isAlias, isCollection, isMap, isPair, isScalar, type Document } from 'yaml'
import { InvalidYamlError } from '../errors.js'

export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml']
/** At most 64 nested mappings and sequences: the routes' models recurse, and a values file nests fewer than 10. */
export const MAX_NESTING = 64
/** At most 20,000 values (entries of mappings and sequences, aliases expanded): a real values file has a few hundred. */
export const MAX_DOCUMENT_NODES = 20_000
/**
 * At most 250,000 tokens (scalars, indicators, comments, line breaks): the parser spends about a microsecond
 * on each, so a megabyte of comments alone would hold the event loop a second. 20,000 values in block style
 * take about 160,000.
 */
export const MAX_DOCUMENT_TOKENS = 250_000
/** At most 100 aliases: toJS finds each alias's anchor by a scan of the document's anchors (6,000 aliases took a second). */
export const MAX_ALIASES = 100

const TOO_MANY_VALUES = `more than ${MAX_DOCUMENT_NODES} values`
const tooDeep = (where: string): string => `nested deeper than ${MAX_NESTING} levels at ${where}`
// a message quotes the document: a megabyte key must not come back in a 400
const MAX_QUOTED_CHARACTERS = 40
const MAX_MESSAGE_CHARACTERS = 300
const cut = (text: string, limit: number): string => text.length > limit ? `${text.slice(0, limit)}…` : text

/** Where a value is: the chain of keys and indices up from it, built only when a message needs it. */
interface Place { readonly up: Place | undefined, readonly segment: string | number }

/** `spec.containers[0].image`; a key that is not a plain name is quoted (`labels["app.kubernetes.io/name"]`). */
export function describePlace (place: Place | undefined): string {
  const segments: Array<string | number> = []
  for (let at = place; at !== undefined; at = at.up) segments.push(at.segment)
  if (segments.length === 0) return 'the top level'
  let path = ''
  for (const segment of segments.reverse()) {
    if (typeof segment === 'number') path += `[${segment}]`
    else if (/^[A-Za-z_][\w-]*$/.test(segment) && segment.length <= MAX_QUOTED_CHARACTERS) path += path === '' ? segment : `.${segment}`
    else path += `[${JSON.stringify(cut(segment, MAX_QUOTED_CHARACTERS))}]`
  }
  return cut(path, MAX_MESSAGE_CHARACTERS)
}

/** `line 3, column 7` of a character offset (only on the way to an error: it reads the source up to there). */
export function lineAndColumn (source: string, offset: number): string {
  let line = 1
  let lineStart = 0
  for (let newline = source.indexOf('\n'); newline !== -1 && newline < offset; newline = source.indexOf('\n', newline + 1)) {
    line++
    lineStart = newline + 1
  }
  return `line ${line}, column ${offset - lineStart + 1}`
}

/** Entries the token opens, never more than the composed document will hold: a flow mapping's commas are not counted, its colons are. */
function entriesOf (type: CST.TokenType | null, openFlows: string[]): number {
  if (type === 'seq-item-ind' || type === 'map-value-ind') return 1
  return type === 'comma' && openFlows.at(-1) === '[' ? 1 : 0
}

/**
 * The parser's tokens for `source`, refused as soon as they pass a limit. The composer recurses once a
 * level and would overflow the stack on 100,000 `[`; the parser keeps an explicit stack, and its height
 * counts block and flow collections alike, never brackets inside strings or comments.
 */
function * limitedTokens (source: string): Generator<CST.Token> {
  const parser = new Parser()
  const openFlows: string[] = []
  let tokens = 0
  let values = 0
  let scalarNext = false
  for (const lexeme of new Lexer().lex(source)) {
    if (++tokens > MAX_DOCUMENT_TOKENS) throw new InvalidYamlError(`more than ${MAX_DOCUMENT_TOKENS} tokens (scalars, indicators, comments, line breaks)`)
    // a plain scalar comes as a marker, then its text: `-` or `[` there is text
    const type: CST.TokenType | null = scalarNext ? null : CST.tokenType(lexeme)
    scalarNext = type === 'scalar'
    if (type === 'flow-seq-start' || type === 'flow-map-start') openFlows.push(lexeme)
    else if (type === 'flow-seq-end' || type === 'flow-map-end') openFlows.pop()
    values += entriesOf(type, openFlows)
    if (values > MAX_DOCUMENT_NODES) throw new InvalidYamlError(TOO_MANY_VALUES)
    const offset = parser.offset
    yield * parser.next(lexeme)
    // the length first: the stack holds every open collection, and the document besides
    if (parser.stack.length > MAX_NESTING && parser.stack.filter(CST.isCollection).length > MAX_NESTING) {
      throw new InvalidYamlError(tooDeep(lineAndColumn(source, offset)))
    }
  }
  yield * parser.end()
}

/**
 * The first document of `source`, composed without the library's quadratic duplicate-key check, and
 * without resolving the YAML 1.1 tags the library knows beyond its core schema (`!!binary`,
 * `!!timestamp`, `!!set`, `!!omap`, `!!pairs`): their values stay the text or collection written, as
 * any unknown tag's. A megabyte of `!!binary` became a Buffer that the routes walked byte by byte (268
 * bytes of memory per body byte, issue 29 finding 4); a values file never needs them.
 */
function composeDocument (source: string): Document.Parsed {
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error', resolveKnownTags: false })
  let document: Document.Parsed | undefined
  // forceDoc: an empty body is an empty document (null), as parse() gives
  for (const composed of composer.compose(limitedTokens(source), true, source.length)) {
    if (document !== undefined) throw new InvalidYamlError('more than one document: a body is one YAML document')
    document = composed
  }
  return document as Document.Parsed
}

/** Entries below a collection, aliases expanded, and the deepest level among its children (0: none is a collection). */
interface Tally { values: number, deepest: number }
/** What an alias stands for: the entries its anchor holds, and its levels (a scalar: none). */
interface Size { values: number, height: number }
const SCALAR_SIZE: Size = { values: 0, height: 0 }

interface Visit { node: unknown, depth: number, place: Place | undefined, within: Tally | undefined, keys?: Set<string> }
interface Close { close: object, tally: Tally, within: Tally | undefined }

/** The key as a plain object will hold it (1 and "1" are the same key there), or undefined for a mapping or sequence as key. */
function keyName (key: unknown, anchors: Map<string, unknown>): string | undefined {
  const node = isAlias(key) ? anchors.get(key.source) : key
  if (!isScalar(node)) return undefined
  // with the YAML 1.1 tags unresolved (composeDocument), a scalar's value is never an object
  return node.value === null ? '' : String(node.value)
}

function include (within: Tally | undefined, size: Size): void {
  if (within === undefined) return
  within.values += size.values
  within.deepest = Math.max(within.deepest, size.height)
}

/**
 * What makes a composed document unfit, or undefined: a duplicate key, too many values or levels
 * (aliases expanded, so the value toJS builds keeps the limits), an alias inside the node it names.
 * One pass in document order with an explicit stack; an alias is a leaf that adds its anchor's size,
 * known because an anchor comes before its aliases and a finished anchor never changes.
 */
export function yamlDocumentProblem (root: unknown): string | undefined {
  const anchors = new Map<string, unknown>()
  const open = new Set<object>()
  const sizes = new Map<object, Size>()
  let values = 0
  let expanded = 0 // of the values, those aliases stand for
  let aliases = 0
  const stack: Array<Visit | Close> = [{ node: root, depth: 0, place: undefined, within: undefined }]
  while (stack.length > 0) {
    const step = stack.pop() as Visit | Close
    if ('close' in step) {
      const size = { values: step.tally.values, height: step.tally.deepest + 1 }
      open.delete(step.close)
      sizes.set(step.close, size)
      include(step.within, size)
      continue
    }
    const { node, depth, place, within } = step
    if (isPair(node)) {
      // the key is read before its own node is visited: an alias key resolves as the library will
      const name = keyName(node.key, anchors)
      if (name !== undefined && step.keys !== undefined) {
        if (step.keys.has(name)) return `duplicate key ${JSON.stringify(cut(name, MAX_QUOTED_CHARACTERS))} at ${describePlace(place)}: keys must be unique`
        step.keys.add(name)
      }
      const at = { up: place, segment: name ?? '?' }
      stack.push({ node: node.value, depth, place: at, within }, { node: node.key, depth, place: at, within })
    } else if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (++aliases > MAX_ALIASES) return `more than ${MAX_ALIASES} aliases`
      if (open.has(target as object)) return `the alias at ${describePlace(place)} refers to a node that contains it: a value cannot contain itself`
      // an unknown anchor is the library's error, from toJS
      const size = sizes.get(target as object) ?? SCALAR_SIZE
      values += size.values
      expanded += size.values
      if (values > MAX_DOCUMENT_NODES) return `${TOO_MANY_VALUES} once aliases are expanded`
      if (depth + size.height > MAX_NESTING) return `${tooDeep(describePlace(place))} once aliases are expanded`
      include(within, size)
    } else if (isScalar(node)) {
      if (node.anchor !== undefined) anchors.set(node.anchor, node)
    } else if (isCollection(node)) {
      if (depth >= MAX_NESTING) return tooDeep(describePlace(place))
      values += node.items.length
      if (values > MAX_DOCUMENT_NODES) return expanded > 0 ? `${TOO_MANY_VALUES} once aliases are expanded` : TOO_MANY_VALUES
      if (node.anchor !== undefined) anchors.set(node.anchor, node)
      open.add(node)
      const tally = { values: node.items.length, deepest: 0 }
      stack.push({ close: node, tally, within })
      const keys = isMap(node) ? new Set<string>() : undefined
      for (let index = node.items.length - 1; index >= 0; index--) {
        stack.push({ node: node.items[index], depth: depth + 1, place: keys === undefined ? { up: place, segment: index } : place, within: tally, keys })
      }
    }
  }
  return undefined
}

/** The same limits for a value already parsed (a JSON body): iterative, so a body 100,000 levels deep is an answer, not an overflow. */
export function documentShapeProblem (value: unknown): string | undefined {
  let values = 0
  const stack: Array<{ node: object, depth: number, place: Place | undefined }> = []
  if (typeof value === 'object' && value !== null) stack.push({ node: value, depth: 0, place: undefined })
  while (stack.length > 0) {
    const { node, depth, place } = stack.pop() as { node: object, depth: number, place: Place | undefined }
    if (depth >= MAX_NESTING) return tooDeep(describePlace(place))
    const keys = Object.keys(node)
    values += keys.length
    if (values > MAX_DOCUMENT_NODES) return TOO_MANY_VALUES
    const indexed = Array.isArray(node)
    for (const key of keys) {
      const child: unknown = (node as Record<string, unknown>)[key]
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1, place: { up: place, segment: indexed ? Number(key) : key } })
    }
  }
  return undefined
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

/** A library failure as a client may read it: the first line, where it happened, never a stack overflow. */
export function yamlFailureMessage (error: unknown, source: string): string {
  if (error instanceof RangeError) return `nested too deeply to parse: at most ${MAX_NESTING} levels`
  const message = cut((error instanceof Error ? error.message : String(error)).split('\n')[0], MAX_MESSAGE_CHARACTERS)
  return error instanceof YAMLParseError ? `${message} at ${lineAndColumn(source, error.pos[0])}` : message
}

export function parseYamlDocument (source: string): unknown {
  try {
    const document = composeDocument(source)
    if (document.errors.length > 0) throw document.errors[0]
    const problem = yamlDocumentProblem(document.contents)
    if (problem !== undefined) throw new InvalidYamlError(problem)
    // the walk has bounded what aliases expand to; the library's own bound (maxAliasCount) re-walks the document per alias
    return document.toJS({ maxAliasCount: -1 })
  } catch (error) {
    throw error instanceof InvalidYamlError ? error : new InvalidYamlError(yamlFailureMessage(error, source))
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
