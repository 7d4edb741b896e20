// The service's application/json parser. fastify's own answers every JSON it cannot take with
// "Body is not valid JSON", whatever was wrong and wherever: a `__proto__` key (which it refuses, as
// it should) as well as `NaN` or `0x10` in the middle of a body. This one says where (line, column
// and the field being read) and what: the body is parsed by JSON.parse, and only a body it refused is
// read again, by a scanner that finds the first error and names it.
import { type FastifyInstance, errorCodes } from 'fastify'
import { ForbiddenKeyError, InvalidJsonError } from '../errors.js'

/** Where a JSON text goes wrong: the character offset, the path of the value being read, and what is wrong. */
export interface JsonSyntaxProblem {
  offset: number
  path: Array<string | number>
  problem: string
}

/** Longest piece of the body quoted in a message. */
const QUOTED_CHARS = 20
/** Longest key shown in a path. */
const KEY_CHARS = 50
/** Most keys and indexes of a path shown: a body nested a thousand levels deep does not make a thousand-segment message. */
const PATH_PARTS = 8

const quote = (text: string): string => JSON.stringify(text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}...` : text)
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9'
/** Sticky patterns, matched where the scanner is (match): a token a message quotes, a bare word. */
const TOKEN = /[-+\w.$]*/y
const WORD = /[\w$]*/y
const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])
const NON_VALUES: Readonly<Record<string, string>> = {
  NaN: 'NaN is not a JSON value (numbers are finite and decimal)',
  Infinity: 'Infinity is not a JSON value (numbers are finite and decimal)',
  undefined: 'undefined is not a JSON value (null is)'
}

interface Frame {
  kind: 'object' | 'array'
  /** The key or index of the value being read in this container; undefined before the first. */
  at: string | number | undefined
}

class Scanner {
  offset = 0
  readonly stack: Frame[] = []
  constructor (readonly text: string) {}

  fail (problem: string, offset = this.offset): JsonSyntaxProblem {
    const path = this.stack.filter((frame) => frame.at !== undefined).map((frame) => frame.at as string | number)
    return { offset, path, problem }
  }

  skipWhitespace (): void {
    while (WHITESPACE.has(this.text[this.offset])) this.offset++
  }

  /** A string from its opening quote; the offset ends after its closing quote. */
  string (): JsonSyntaxProblem | string {
    const start = ++this.offset
    for (;;) {
      const char = this.text[this.offset]
      if (char === undefined) return this.fail('the body ends inside a string', start - 1)
      if (char === '"') break
      if (char < ' ') return this.fail(`a control character (U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) in a string must be escaped`)
      if (char === '\\') {
        const escaped = this.text[this.offset + 1]
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.offset + 2, this.offset + 6))) return this.fail('\\u is followed by four hexadecimal digits')
          this.offset += 6
          continue
        }
        if (!ESCAPES.has(escaped)) return this.fail(`${quote(`\\${escaped ?? ''}`)} is not a JSON escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are)`)
        this.offset += 2
        continue
      }
      this.offset++
    }
    this.offset++
    return JSON.parse(this.text.slice(start - 1, this.offset)) as string
  }

  number (): JsonSyntaxProblem | undefined {
    const start = this.offset
    if (this.text[this.offset] === '-') this.offset++
    const first = this.text[this.offset]
    if (!isDigit(first)) {
      if (this.text.startsWith('Infinity', this.offset)) return this.fail(NON_VALUES.Infinity, start)
      return this.fail('a number has a digit after its minus sign', start)
    }
    this.offset++
    if (first === '0' && /[xXoObB]/.test(this.text[this.offset] ?? '')) return this.fail(`${quote(this.word(start))}: numbers are decimal (no hexadecimal, octal or binary)`, start)
    if (first === '0' && isDigit(this.text[this.offset])) return this.fail(`${quote(this.word(start))}: a number does not start with 0 (no leading zeros)`, start)
    while (isDigit(this.text[this.offset])) this.offset++
    if (this.text[this.offset] === '.') {
      this.offset++
      if (!isDigit(this.text[this.offset])) return this.fail('a decimal point is followed by a digit')
      while (isDigit(this.text[this.offset])) this.offset++
    }
    if (this.text[this.offset] === 'e' || this.text[this.offset] === 'E') {
      this.offset++
      if (this.text[this.offset] === '+' || this.text[this.offset] === '-') this.offset++
      if (!isDigit(this.text[this.offset])) return this.fail('an exponent has digits')
      while (isDigit(this.text[this.offset])) this.offset++
    }
    return undefined
  }

  /** What a sticky pattern matches at `start` (a string: every pattern used matches the empty string), without copying the rest of the text. */
  match (pattern: RegExp, start: number): string {
    pattern.lastIndex = start
    return (pattern.exec(this.text) as RegExpExecArray)[0]
  }

  /** The letters, digits and signs from `start`: the token a message quotes. */
  word (start: number): string {
    return this.match(TOKEN, start)
  }

  /** A value that is not an object or array; undefined when it is well formed. */
  scalar (): JsonSyntaxProblem | undefined {
    const char = this.text[this.offset]
    if (char === undefined) return this.fail('the body ends where a value is expected')
    if (char === '"') {
      const read = this.string()
      return typeof read === 'string' ? undefined : read
    }
    if (char === '-' || isDigit(char)) return this.number()
    if (/[A-Za-z_$]/.test(char)) {
      const word = this.match(WORD, this.offset)
      if (word === 'true' || word === 'false' || word === 'null') {
        this.offset += word.length
        return undefined
      }
      return this.fail(NON_VALUES[word] ?? `${quote(word)} is not a JSON value (strings are in double quotes; the literals are true, false and null, in lower case)`)
    }
    if (char === '\'') return this.fail('strings are in double quotes, not single')
    if (char === '/') return this.fail('comments are not JSON')
    if (char === '+') return this.fail('a number does not start with +')
    if (char === '.') return this.fail('a number starts with a digit (0.5, not .5)')
    return this.fail(`${quote(char)} where a value is expected`)
  }

  /** An object key and its colon; undefined when well formed. */
  key (frame: Frame): JsonSyntaxProblem | undefined {
    this.skipWhitespace()
    const char = this.text[this.offset]
    if (char === undefined) return this.fail('the body ends where a key is expected')
    if (char !== '"') return this.fail(char === '}' ? 'a trailing comma before }' : `${quote(this.word(this.offset) || char)} where a key is expected (keys are strings in double quotes)`)
    const key = this.string()
    if (typeof key !== 'string') return key
    frame.at = key.length > KEY_CHARS ? `${key.slice(0, KEY_CHARS)}...` : key
    this.skipWhitespace()
    if (this.text[this.offset] !== ':') return this.fail(this.text[this.offset] === undefined ? 'the body ends where : is expected' : `: expected after the key, not ${quote(this.text[this.offset])}`)
    this.offset++
    return undefined
  }

  /**
   * Reads a value: a scalar whole, an empty container whole, or the opening of a container (with its
   * first key), after which a value is expected again ('opened'). Never recursive.
   */
  value (): JsonSyntaxProblem | 'opened' | undefined {
    this.skipWhitespace()
    const char = this.text[this.offset]
    if (char !== '{' && char !== '[') return this.scalar()
    this.offset++
    this.skipWhitespace()
    const frame: Frame = { kind: char === '{' ? 'object' : 'array', at: undefined }
    if (this.text[this.offset] === (frame.kind === 'object' ? '}' : ']')) {
      this.offset++
      return undefined
    }
    this.stack.push(frame)
    if (frame.kind === 'array') {
      frame.at = 0
      return 'opened'
    }
    return this.key(frame) ?? 'opened'
  }

  /** After a value inside a container: a comma and the next key ('value': a value is expected), or the container's end. */
  next (): JsonSyntaxProblem | 'value' | undefined {
    this.skipWhitespace()
    const frame = this.stack[this.stack.length - 1]
    const close = frame.kind === 'object' ? '}' : ']'
    const char = this.text[this.offset]
    if (char === close) {
      this.offset++
      this.stack.pop()
      return undefined
    }
    if (char === undefined) return this.fail(`the body ends before its ${close}`)
    if (char !== ',') return this.fail(`, or ${close} expected after a value, not ${quote(this.word(this.offset) || char)}`)
    this.offset++
    if (frame.kind === 'object') return this.key(frame) ?? 'value'
    this.skipWhitespace()
    if (this.text[this.offset] === ']') return this.fail('a trailing comma before ]')
    frame.at = (frame.at as number) + 1
    return 'value'
  }
}

/**
 * The first syntax error of a JSON text, read iteratively (a deeply nested body cannot exhaust the
 * stack); undefined when the scanner finds none.
 */
export function findJsonSyntaxError (text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text)
  let expectValue = true
  for (;;) {
    if (expectValue) {
      const read = scanner.value()
      if (typeof read === 'object') return read
      if (read === 'opened') continue
    }
    if (scanner.stack.length === 0) break
    const step = scanner.next()
    if (typeof step === 'object') return step
    expectValue = step === 'value'
  }
  scanner.skipWhitespace()
  if (scanner.offset < text.length) return scanner.fail(`${quote(scanner.word(scanner.offset) || (text[scanner.offset]))} after the end of the JSON value`)
  return undefined
}

/** A JSON Pointer-like path in the service's messages: body/a/0/b (~ and / escaped as ajv does). */
export function bodyPath (path: ReadonlyArray<string | number>): string {
  const shown = path.slice(0, PATH_PARTS).map((part) => String(part).replaceAll('~', '~0').replaceAll('/', '~1'))
  return ['body', ...shown, ...(path.length > PATH_PARTS ? ['...'] : [])].join('/')
}

/** Line and column (1-based, in characters) of an offset. */
export function lineAndColumn (text: string, offset: number): { line: number, column: number } {
  let line = 1
  let lineStart = 0
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++
    lineStart = index + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** What a client reads when its body is not JSON: the field, the place and the rule. */
export function invalidJsonMessage (text: string, engineMessage: string): string {
  const found = findJsonSyntaxError(text)
  // the scanner follows RFC 8259 as JSON.parse does; should they ever disagree, the engine's words
  if (found === undefined) return `body: not valid JSON: ${engineMessage.slice(0, 200)}`
  const { line, column } = lineAndColumn(text, found.offset)
  return `${bodyPath(found.path)}: not valid JSON at line ${line} column ${column}: ${found.problem}`
}

/** A body can only hide one of these keys when its text holds their name or a \u escape. */
const mayHoldForbiddenKey = (text: string): boolean => text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')

/**
 * The first `__proto__` key, or `constructor` holding `prototype`, in a parsed body: what fastify's
 * parser refuses too (secure-json-parse, onProtoPoisoning and onConstructorPoisoning 'error'), since
 * code that copies such an object can change every object's prototype. Walked without recursion.
 */
export function findForbiddenKey (value: unknown): { path: Array<string | number>, key: string } | undefined {
  const pending: Array<[unknown, Array<string | number>]> = [[value, []]]
  while (pending.length > 0) {
    const [node, path] = pending.pop() as [unknown, Array<string | number>]
    if (node === null || typeof node !== 'object') continue
    if (Object.hasOwn(node, '__proto__')) return { path: [...path, '__proto__'], key: '__proto__' }
    const { constructor } = node as { constructor?: unknown }
    if (Object.hasOwn(node, 'constructor') && constructor !== null && typeof constructor === 'object' && Object.hasOwn(constructor, 'prototype')) {
      return { path: [...path, 'constructor', 'prototype'], key: 'constructor.prototype' }
    }
    const entries = Array.isArray(node) ? node.map((child, index): [number, unknown] => [index, child]) : Object.entries(node)
    for (let index = entries.length - 1; index >= 0; index--) pending.push([entries[index][1], [...path, entries[index][0]]])
  }
  return undefined
}

/** A JSON body as the routes get it, or the 400 that says what is wrong with it. */
export function parseJsonBody (text: string): unknown {
  if (text.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InvalidJsonError(invalidJsonMessage(text, (error as Error).message))
  }
  const forbidden = mayHoldForbiddenKey(text) ? findForbiddenKey(value) : undefined
  if (forbidden !== undefined) throw new ForbiddenKeyError(bodyPath(forbidden.path), forbidden.key)
  return value
}

/** Replaces fastify's application/json parser, in every app (the service, its workers and the CLI answer alike). */
export function registerJsonBody (app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    let value: unknown
    try {
      value = parseJsonBody(body as string)
    } catch (error) {
      done(error as Error, undefined)
      return
    }
    done(null, value)
  })
}
