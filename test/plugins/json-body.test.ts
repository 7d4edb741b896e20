// The service's JSON parser: the same values as JSON.parse, and for a body it refuses, the field, the
// line and column, and what is wrong (finding 9); `__proto__` and `constructor.prototype` refused by
// name, as fastify's parser refuses them.
import t from 'tap'
import fc from 'fast-check'
import { buildApp } from '../../src/app.js'
import { bodyPath, findForbiddenKey, findJsonSyntaxError, invalidJsonMessage, lineAndColumn, parseJsonBody } from '../../src/plugins/json-body.js'

const messageOf = (text: string): string => {
  try {
    parseJsonBody(text)
  } catch (error) {
    return (error as Error).message
  }
  return 'parsed'
}

t.test('a body that is not JSON is answered with the field, the place and the rule', async (t) => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const cases: Array<[string, string, string, string]> = [
    ['/estimate/engram', '{"expectedNodes": NaN}', 'FST_ERR_CTP_INVALID_JSON_BODY', 'body/expectedNodes: not valid JSON at line 1 column 19: NaN is not a JSON value (numbers are finite and decimal)'],
    ['/estimate/engram', '{\n  "expectedNodes": 0x10\n}', 'FST_ERR_CTP_INVALID_JSON_BODY', 'body/expectedNodes: not valid JSON at line 2 column 20: "0x10": numbers are decimal (no hexadecimal, octal or binary)'],
    ['/estimate/engram', '{"__proto__":{}}', 'FORBIDDEN_KEY', 'body/__proto__: the key __proto__ is not accepted (prototype poisoning)'],
    ['/sweep', '{"model":"engram","scenario":{"constructor":{"prototype":{"x":1}}}}', 'FORBIDDEN_KEY', 'body/scenario/constructor/prototype: the key constructor.prototype is not accepted (prototype poisoning)'],
    ['/estimate/engram', '{"expectedNodes": 5,}', 'FST_ERR_CTP_INVALID_JSON_BODY', 'body/expectedNodes: not valid JSON at line 1 column 21: a trailing comma before }']
  ]
  for (const [url, payload, code, message] of cases) {
    const response = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, 400, payload)
    t.same(response.json(), { statusCode: 400, error: 'Bad Request', code, message })
  }
  t.equal(({} as Record<string, unknown>).x, undefined, 'no prototype changed')
  const empty = await app.inject({ method: 'POST', url: '/estimate/engram', payload: '', headers: { 'content-type': 'application/json' } })
  t.match(empty.json(), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }, 'an empty JSON body: as before')
  t.equal((await app.inject({ method: 'POST', url: '/estimate/engram' })).statusCode, 200, 'no body at all: every default, as before')
  const fine = await app.inject({ method: 'POST', url: '/estimate/engram', payload: '{"expectedNodes": 5e6, "activeRatio": 0.25}', headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(fine.statusCode, 200)
  t.equal(fine.json().inputs.expectedNodes, 5_000_000)
})

t.test('the scanner names each kind of error', async (t) => {
  const cases: Array<[string, string]> = [
    ['"abc', 'body: not valid JSON at line 1 column 1: the body ends inside a string'],
    ['"a\tb"', 'body: not valid JSON at line 1 column 3: a control character (U+0009) in a string must be escaped'],
    ['"\\u12g4"', 'body: not valid JSON at line 1 column 2: \\u is followed by four hexadecimal digits'],
    ['"\\', 'body: not valid JSON at line 1 column 2: "\\\\" is not a JSON escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are)'],
    ['[-x]', 'body/0: not valid JSON at line 1 column 2: a number has a digit after its minus sign'],
    ['[-Infinity]', 'body/0: not valid JSON at line 1 column 2: Infinity is not a JSON value (numbers are finite and decimal)'],
    ['[Infinity]', 'body/0: not valid JSON at line 1 column 2: Infinity is not a JSON value (numbers are finite and decimal)'],
    ['[0b101]', 'body/0: not valid JSON at line 1 column 2: "0b101": numbers are decimal (no hexadecimal, octal or binary)'],
    ['[007]', 'body/0: not valid JSON at line 1 column 2: "007": a number does not start with 0 (no leading zeros)'],
    ['[1.]', 'body/0: not valid JSON at line 1 column 4: a decimal point is followed by a digit'],
    ['[1e+]', 'body/0: not valid JSON at line 1 column 5: an exponent has digits'],
    ['[1, undefined]', 'body/1: not valid JSON at line 1 column 5: undefined is not a JSON value (null is)'],
    ['{"a": yes}', 'body/a: not valid JSON at line 1 column 7: "yes" is not a JSON value (strings are in double quotes; the literals are true, false and null, in lower case)'],
    ['{"a": \'x\'}', 'body/a: not valid JSON at line 1 column 7: strings are in double quotes, not single'],
    ['{"a": 1 /* c */}', 'body/a: not valid JSON at line 1 column 9: , or } expected after a value, not "/"'],
    ['/* c */ {}', 'body: not valid JSON at line 1 column 1: comments are not JSON'],
    ['[+1]', 'body/0: not valid JSON at line 1 column 2: a number does not start with +'],
    ['[.5]', 'body/0: not valid JSON at line 1 column 2: a number starts with a digit (0.5, not .5)'],
    ['[@]', 'body/0: not valid JSON at line 1 column 2: "@" where a value is expected'],
    ['   ', 'body: not valid JSON at line 1 column 4: the body ends where a value is expected'],
    ['{"a": 1,', 'body/a: not valid JSON at line 1 column 9: the body ends where a key is expected'],
    ['{a: 1}', 'body: not valid JSON at line 1 column 2: "a" where a key is expected (keys are strings in double quotes)'],
    ['{"a": 1, @: 1}', 'body/a: not valid JSON at line 1 column 10: "@" where a key is expected (keys are strings in double quotes)'],
    ['{"a', 'body: not valid JSON at line 1 column 2: the body ends inside a string'],
    [`{"${'k'.repeat(60)}": nope}`, `body/${'k'.repeat(50)}...: not valid JSON at line 1 column 66: "nope" is not a JSON value (strings are in double quotes; the literals are true, false and null, in lower case)`],
    ['{"a"', 'body/a: not valid JSON at line 1 column 5: the body ends where : is expected'],
    ['{"a" = 1}', 'body/a: not valid JSON at line 1 column 6: : expected after the key, not "="'],
    ['[1, 2', 'body/1: not valid JSON at line 1 column 6: the body ends before its ]'],
    ['[1 2]', 'body/0: not valid JSON at line 1 column 4: , or ] expected after a value, not "2"'],
    ['[1, 2, ]', 'body/1: not valid JSON at line 1 column 8: a trailing comma before ]'],
    ['{"a": [{}, [], {"b": [true, false, null, "\\"\\u00e9\\n"]}, 1e-3, -0.5E+2]} extra', 'body: not valid JSON at line 1 column 74: "extra" after the end of the JSON value'],
    ['{} }', 'body: not valid JSON at line 1 column 4: "}" after the end of the JSON value'],
    [`{"s": "${'x'.repeat(40)}\\q"}`, 'body/s: not valid JSON at line 1 column 48: "\\\\q" is not a JSON escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX are)'],
    [`[${'y'.repeat(40)}]`, 'body/0: not valid JSON at line 1 column 2: "yyyyyyyyyyyyyyyyyyyy..." is not a JSON value (strings are in double quotes; the literals are true, false and null, in lower case)'],
    [`${'['.repeat(10_000)}`, 'body/0/0/0/0/0/0/0/0/...: not valid JSON at line 1 column 10001: the body ends where a value is expected']
  ]
  for (const [text, message] of cases) t.equal(messageOf(text), message, text.slice(0, 40))
})

t.test('the scanner finds an error exactly when JSON.parse does', async (t) => {
  const engineAccepts = (text: string): boolean => {
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }
  // JSON texts, some cut or with a character changed, and arbitrary strings of JSON's own characters
  const mutated = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', ':', '0', '-', '.', 'e', ' ', 'x', '\n'), fc.boolean())
    .map(([text, at, insert, cut]) => cut ? text.slice(0, at % (text.length + 1)) : `${text.slice(0, at % (text.length + 1))}${insert}${text.slice(at % (text.length + 1))}`)
  const alphabet = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '1', '0', '-', '.', 'e', 't', 'r', 'u', ' ', '\\', 'n') })
  fc.assert(fc.property(fc.oneof(mutated, alphabet), (text) => (findJsonSyntaxError(text) === undefined) === engineAccepts(text)), { numRuns: 3000 })
  t.pass('agrees with JSON.parse')
})

t.test('paths, places and forbidden keys', async (t) => {
  t.equal(bodyPath(['a/b', '~c', 3]), 'body/a~1b/~0c/3', 'escaped as JSON Pointer')
  t.same(lineAndColumn('ab\ncd\nef', 7), { line: 3, column: 2 })
  t.same(lineAndColumn('abc', 0), { line: 1, column: 1 })
  t.equal(invalidJsonMessage('{}', 'the engine refused it'), 'body: not valid JSON: the engine refused it', 'should the scanner ever pass what JSON.parse refused, the engine\'s words')
  t.same(findForbiddenKey(JSON.parse('[1, {"a": [null, {"__proto__": 1}]}]')), { path: [1, 'a', 1, '__proto__'], key: '__proto__' })
  t.equal(findForbiddenKey(JSON.parse('{"constructor": {"name": "x"}, "b": {"constructor": null}, "c": {"constructor": "prototype"}}')), undefined, 'a constructor without prototype is data')
  t.same(parseJsonBody('{"constructor": {"name": "x"}}'), { constructor: { name: 'x' } })
  t.same(parseJsonBody('{"text": "caf\\u00e9"}'), { text: 'café' })
})
