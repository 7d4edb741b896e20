// The Dockerfile and the Helm chart, checked without a Docker engine or Helm: lint, paths, values
// against their schema, every .Values path a template reads. The chart rendered by a real Helm
// (objects against their Kubernetes schemas, every schema rule, the Deployment against the image
// and the service's configuration, the grace period and probes) is test/chart.test.ts.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { validate as lintDockerfile } from 'dockerfile-utils'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const dockerfile = read('Dockerfile')

t.test('the Dockerfile lints clean', async (t) => {
  t.same(lintDockerfile(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`), [])
})

t.test('the Dockerfile: multi-stage, slim Node LTS, non-root, node as PID 1, both ports', async (t) => {
  t.same(dockerfile.match(/^FROM .*/gm), ['FROM node:24-bookworm-slim AS build', 'FROM node:24-bookworm-slim AS runtime'])
  t.match(dockerfile, /^RUN npm ci --omit=dev/m)
  t.match(dockerfile, /^USER 1000:1000$/m, 'numeric, so Kubernetes can verify runAsNonRoot')
  t.match(dockerfile, /^EXPOSE 8080 9090$/m)
  t.match(dockerfile, /^CMD \["node", "dist\/service\/server.js"\]$/m)
  t.match(read('package.json'), '"start": "node dist/service/server.js"', 'npm start runs what the image runs')
  t.notMatch(dockerfile, /npm start/)
})

t.test('every path the Dockerfile copies exists after npm run build', async (t) => {
  const ignored = read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line !== '')
  const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(' '))
  t.same(sources, ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'data', 'generated', 'bin', 'web', 'package.json', 'package-lock.json', 'data', 'bin'])
  for (const source of sources) {
    t.ok(existsSync(join(root, source)), `${source} exists`)
    t.notOk(ignored.includes(source), `${source} is not in .dockerignore`)
  }
  const outDir = mkdtempSync(join(tmpdir(), 'dist-'))
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'pipe' })
  t.ok(existsSync(join(outDir, 'server.js')), 'the build produces dist/server.js (bundled into dist/service/server.js, the CMD: test/service-bundle.test.ts)')
  t.ok(existsSync(join(outDir, 'models/aeterna/values-files.js')))
  t.ok(existsSync(join(outDir, 'workers/request-worker.js')), 'the worker threads\' module, which the built pool loads')
  // dist/models/aeterna/values-files.js reads ../../../data: /app/data in the image
  t.match(readFileSync(join(outDir, 'models/aeterna/values-files.js'), 'utf8'), '../../../data/aeterna/values-')
  t.ok(existsSync(join(root, 'data/aeterna/values-large.yaml')))
  // dist/compiled-schemas.js reads ../generated: /app/generated in the image, from the build stage
  t.match(readFileSync(join(outDir, 'compiled-schemas.js'), 'utf8'), "new URL('../generated/', import.meta.url)")
  t.match(dockerfile, /^COPY --from=build \/app\/generated \.\/generated$/m)
  t.ok(existsSync(join(root, 'generated/index.json')))
  // the image's `sizing` command: bin/launch.js without src/ (not copied) runs dist/cli/main.js
  t.ok(existsSync(join(outDir, 'cli/main.js')), 'the build produces dist/cli/main.js')
  t.match(read('bin/launch.js'), "new URL('../dist/cli/main.js', binUrl)")
  t.match(dockerfile, /^RUN ln -s \/app\/bin\/sizing.js \/usr\/local\/bin\/sizing$/m)
  t.ok(dockerfile.indexOf('RUN ln -s') < dockerfile.indexOf('USER 1000:1000'), 'linked as root, before USER')
})

const chart = 'charts/sizing-service'
const values = parse(read(`${chart}/values.yaml`)) as Record<string, unknown>

t.test('Chart.yaml and values.yaml parse; values.yaml validates against values.schema.json', async (t) => {
  t.match(parse(read(`${chart}/Chart.yaml`)), { apiVersion: 'v2', name: 'sizing-service', type: 'application' })
  const validateValues = new Ajv({ strict: false }).compile(JSON.parse(read(`${chart}/values.schema.json`)))
  t.ok(validateValues(values), JSON.stringify(validateValues.errors))
  t.notOk(validateValues({ ...values, replicaCount: 0 }), 'the schema rejects 0 replicas')
  t.notOk(validateValues({ ...values, antiAffinity: 'sometimes' }), 'and unknown anti-affinity modes')
  t.notOk(validateValues({ ...values, unknownKey: true }), 'and unknown keys')
})

t.test('every .Values path a template reads exists in values.yaml', async (t) => {
  const templates = readdirSync(join(root, chart, 'templates')).filter((name) => /\.(yaml|tpl|txt)$/.test(name))
  t.same(templates.sort(), ['NOTES.txt', '_helpers.tpl', 'deployment.yaml', 'hpa.yaml', 'ingress.yaml', 'networkpolicy.yaml', 'pdb.yaml', 'service.yaml', 'serviceaccount.yaml', 'servicemonitor.yaml'])
  const paths = new Set(templates.flatMap((name) => [...read(`${chart}/templates/${name}`).matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((match) => match[1])))
  t.ok(paths.size > 30)
  for (const path of paths) {
    let node: unknown = values
    for (const key of path.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined
    t.not(node, undefined, `.Values.${path}`)
  }
})

t.test('every template opens and closes its actions', async (t) => {
  for (const name of readdirSync(join(root, chart, 'templates'))) {
    const text = read(`${chart}/templates/${name}`)
    t.equal(text.split('{{').length, text.split('}}').length, `${name}: balanced {{ }}`)
    const opened = (text.match(/{{-?\s*(if|with|range|define)\b/g) ?? []).length
    const closed = (text.match(/{{-?\s*end\s*-?}}/g) ?? []).length
    t.equal(opened, closed, `${name}: every if/with/range/define has its end`)
  }
})
