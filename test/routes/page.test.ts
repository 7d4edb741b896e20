// The capacity-review page as the service serves it (src/plugins/page.ts): GET / and its files under
// /page/, built from web/ by bin/bundle.js bundleWeb (what npm run build runs) into a directory of
// this test's own; no token needed with API_TOKEN set; the content security policy on every answer
// and no inline script for it to block; validators for caches; the service's 404 for any other name;
// hidden from the OpenAPI document. The page in a browser: test/browser/page.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import pino from 'pino'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { PAGE_DIRECTORY, etagMatches, readPageFiles } from '../../src/plugins/page.js'

interface BundleModule { bundleWeb: (root: URL, outDir: URL, esbuild: object) => Promise<{ metafile: { outputs: Record<string, { imports: Array<{ path: string }> }> } }> }
const { bundleWeb } = await import('../../bin/bundle.js' as string) as BundleModule

const TOKEN = 'a-very-secret-token-of-32-chars!'
const root = new URL('../../', import.meta.url)
const scratch = mkdtempSync(join(tmpdir(), 'sizing-page-'))
t.teardown(() => { rmSync(scratch, { recursive: true, force: true }) })
const built = join(scratch, 'web')
const esbuild = await import('esbuild')
t.teardown(async () => { await esbuild.stop() })
const { metafile } = await bundleWeb(root, pathToFileURL(`${built}/`), esbuild)

t.test('the build: app.js with no import left (one file for the browser), app.css, index.html as written', async (t) => {
  t.same(Object.keys(metafile.outputs).map((path) => path.split('/').at(-1)).sort(), ['app.css', 'app.js'])
  for (const [path, { imports }] of Object.entries(metafile.outputs)) t.same(imports, [], `${path} imports nothing at run time`)
  t.equal(readFileSync(join(built, 'index.html'), 'utf8'), readFileSync(new URL('web/index.html', root), 'utf8'))
  t.same([...readPageFiles(built).keys()].sort(), ['app.css', 'app.js', 'index.html'])
})

t.test('GET / and its files without a token, with the security headers and cache validators', async (t) => {
  const app = await buildApp({ config: loadConfig({ API_TOKEN: TOKEN }), pageDirectory: built })
  t.teardown(() => app.close())
  const index = await app.inject('/')
  t.equal(index.statusCode, 200, 'the page loads without a token')
  t.equal(index.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(index.body, readFileSync(join(built, 'index.html'), 'utf8'))
  t.match(index.headers['content-security-policy'], "script-src 'self'", 'under the service\'s content security policy')
  t.equal(index.headers['x-content-type-options'], 'nosniff')
  t.equal(index.headers['cache-control'], 'no-cache', 'revalidated on every use: the names are not content-hashed')
  t.match(index.headers.etag, /^"[\w-]{32}"$/, 'a strong entity tag')

  const scripts = index.body.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []
  t.same(scripts, ['<script type="module" src="/page/app.js"></script>'], 'one script, from a file: nothing inline for script-src \'self\' to block')
  t.notMatch(index.body, /\son[a-z]+\s*=/i, 'no inline event handler attribute')
  t.notMatch(index.body, /javascript:/i)

  for (const [name, type] of [['app.js', 'text/javascript; charset=utf-8'], ['app.css', 'text/css; charset=utf-8']]) {
    const file = await app.inject(`/page/${name}`)
    t.equal(file.statusCode, 200, `/page/${name} without a token`)
    t.equal(file.headers['content-type'], type)
    t.equal(file.rawPayload.length, readFileSync(join(built, name)).length, 'byte for byte')
    t.equal(file.headers['content-length'], String(file.rawPayload.length))
    const etag = file.headers.etag as string
    const again = await app.inject({ url: `/page/${name}`, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, 'the browser\'s copy is current: 304')
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
    t.equal((await app.inject({ url: `/page/${name}`, headers: { 'if-none-match': '"other"' } })).statusCode, 200, 'another entity tag: the file')
  }
  const head = await app.inject({ method: 'HEAD', url: '/' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')

  const unknown = await app.inject('/page/nothing.js')
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: 'Route GET /page/nothing.js not found' }, 'the service\'s own 404')
  t.equal((await app.inject('/page/index.html')).statusCode, 404, 'index.html is at / only')
  t.equal((await app.inject({ url: '/page/../package.json', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404, 'nothing outside the build')
  const post = await app.inject({ method: 'POST', url: '/', payload: {} })
  t.equal(post.statusCode, 405)
  t.equal(post.headers.allow, 'GET, HEAD')

  t.equal((await app.inject('/estimates')).statusCode, 401, 'the API the page calls still needs the token')
  t.equal((await app.inject({ url: '/estimates', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
  const paths = Object.keys((await app.inject('/openapi.json')).json().paths as object)
  t.notOk(paths.some((path) => path === '/' || path.startsWith('/page')), 'hidden from the OpenAPI document')
})

t.test('DOCS_PUBLIC=false: the page is behind the token, as the documentation is', async (t) => {
  const app = await buildApp({ config: loadConfig({ API_TOKEN: TOKEN, DOCS_PUBLIC: 'false' }), pageDirectory: built })
  t.teardown(() => app.close())
  t.equal((await app.inject('/')).statusCode, 401)
  t.equal((await app.inject({ url: '/', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200)
})

t.test('what is served of a directory: plain files of known media types; nothing without a build', async (t) => {
  const directory = join(scratch, 'mixed')
  mkdirSync(join(directory, 'nested.js'), { recursive: true })
  writeFileSync(join(directory, 'app.js'), 'export {}\n')
  writeFileSync(join(directory, 'notes.txt'), 'not served\n')
  writeFileSync(join(directory, 'odd:name.js'), 'not served\n')
  t.same([...readPageFiles(directory).keys()], ['app.js'], 'a directory, an unknown type and a name a route cannot carry are left out')
  t.same(readPageFiles(join(scratch, 'missing')), new Map(), 'no directory: no files')

  const lines: string[] = []
  const logger = pino({ level: 'warn' }, { write: (line: string) => { lines.push(line) } })
  const app = await buildApp({ logger, pageDirectory: join(scratch, 'missing') })
  t.teardown(() => app.close())
  t.equal((await app.inject('/')).statusCode, 404, 'not built: / is the service\'s 404')
  t.match(lines.join(''), 'the capacity-review page is not built (npm run build writes it): GET / is a 404', 'and the log says why')
  t.match(PAGE_DIRECTORY, /[\\/]dist[\\/]web[\\/]$/, 'by default, dist/web/ beside src/ (or beside dist/service/ in the bundle)')
})

t.test('If-None-Match: lists, weak tags, *', async (t) => {
  t.notOk(etagMatches(undefined, '"a"'))
  t.ok(etagMatches('"a"', '"a"'))
  t.ok(etagMatches('"b", W/"a"', '"a"'), 'weak comparison')
  t.ok(etagMatches('*', '"a"'))
  t.notOk(etagMatches('"b"', '"a"'))
})
