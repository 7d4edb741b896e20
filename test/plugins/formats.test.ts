import t from 'tap'
import { negotiateFormat } from '../../src/plugins/formats.js'

t.test('?format wins over Accept', async (t) => {
  t.equal(negotiateFormat('application/json', 'yaml'), 'yaml')
  t.equal(negotiateFormat(undefined, 'text'), 'text')
  t.equal(negotiateFormat(undefined, 'svg'), undefined, 'a format the route does not answer')
  t.equal(negotiateFormat(undefined, 'svg', ['json', 'svg']), 'svg')
})

t.test('Accept negotiation', async (t) => {
  t.equal(negotiateFormat(undefined, undefined), 'json')
  t.equal(negotiateFormat('  ', undefined), 'json')
  t.equal(negotiateFormat('*/*', undefined), 'json')
  t.equal(negotiateFormat('application/*', undefined), 'json')
  t.equal(negotiateFormat('text/*', undefined), 'text')
  t.equal(negotiateFormat('text/plain', undefined), 'text')
  t.equal(negotiateFormat('application/x-yaml', undefined), 'yaml')
  t.equal(negotiateFormat('text/yaml; charset=utf-8', undefined), 'yaml')
  t.equal(negotiateFormat('text/html, application/xhtml+xml, */*;q=0.8', undefined), 'json', 'a browser gets JSON')
  t.equal(negotiateFormat('text/plain;q=0.5, application/yaml', undefined), 'yaml', 'higher quality first')
  t.equal(negotiateFormat('application/yaml, text/plain', undefined), 'yaml', 'equal quality: first listed')
  t.equal(negotiateFormat('application/json;q=0, text/plain', undefined), 'text', 'q=0 means not acceptable')
  t.equal(negotiateFormat('application/json;q=abc, text/plain;q=0.1', undefined), 'text', 'a malformed q counts as 0')
  t.equal(negotiateFormat('image/png', undefined), undefined)
  t.equal(negotiateFormat('application/json;q=0', undefined), undefined)
})
