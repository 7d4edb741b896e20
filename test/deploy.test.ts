// The Dockerfile and the Helm chart, checked without a Docker engine or Helm: lint, paths, values
// against their schema, every .Values path a template reads.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv } from 'ajv'
import { validate as lintDockerfile } from 'dockerfile-utils'
import { parse, stringify } from 'yaml'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { ConfigSchema, loadConfig } from '../src/config.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const dockerfile = read('Dockerfile')

t.test('the Dockerfile lints clean', async (t) => {
  t.same(lintDockerfile(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`), [])
})

t.test('the Dockerfile: multi-stage, slim Node LTS, non-root, node as PID 1, both ports', async (t) => {
  t.same(dockerfile.match(/^FROM .*/gm), ['FROM node:24-bookworm-slim AS build', 'FROM node:24-bookworm-slim AS runtime'])
  t.match(dockerfile, /^RUN npm ci --omit=dev/m)
  t.match(dockerfile, /^USER node$/m)
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
  t.ok(dockerfile.indexOf('RUN ln -s') < dockerfile.indexOf('USER node'), 'linked as root, before USER')
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

t.test('the defaults follow our own HA advice', async (t) => {
  t.match(values, { replicaCount: 3, podDisruptionBudget: { enabled: true, minAvailable: 2 }, antiAffinity: 'preferred', topologySpread: { enabled: true, topologyKey: 'topology.kubernetes.io/zone' }, autoscaling: { enabled: true, minReplicas: 3, targetCPUUtilizationPercentage: 70 } })
  const deployment = read(`${chart}/templates/deployment.yaml`)
  for (const needle of ['path: /healthz', 'path: /readyz', 'containerPort: 8080', 'containerPort: 9090', 'readOnlyRootFilesystem: true', 'runAsNonRoot: true', 'allowPrivilegeEscalation: false', 'preStop:', 'terminationGracePeriodSeconds', '- ALL']) {
    t.match(deployment, needle)
  }
})

t.test('every .Values path a template reads exists in values.yaml', async (t) => {
  const templates = readdirSync(join(root, chart, 'templates')).filter((name) => /\.(yaml|tpl|txt)$/.test(name))
  t.same(templates.sort(), ['NOTES.txt', '_helpers.tpl', 'deployment.yaml', 'hpa.yaml', 'networkpolicy.yaml', 'pdb.yaml', 'service.yaml', 'serviceaccount.yaml', 'servicemonitor.yaml'])
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

t.test('shutdown and probes: the grace period covers the whole drain; the probes ride out a second of starvation', async (t) => {
  const deployment = read(`${chart}/templates/deployment.yaml`)
  const config = values.config as Record<string, number>
  const graceSeconds = values.terminationGracePeriodSeconds as number
  const preStopSeconds = values.preStopSleepSeconds as number
  t.ok(config.shutdownDelayMs > 0, 'a non-zero drain: readiness 503 and Connection: close before the listener closes')
  t.equal(config.shutdownDelayMs, loadConfig({}).SHUTDOWN_DELAY_MS, 'the chart and the service agree on the drain')
  t.ok(graceSeconds >= preStopSeconds + (config.shutdownDelayMs + config.shutdownTimeoutMs) / 1000,
    `terminationGracePeriodSeconds ${graceSeconds} >= preStop ${preStopSeconds} s + drain ${config.shutdownDelayMs} ms + in-flight ${config.shutdownTimeoutMs} ms`)
  const probe = (name: string): Record<string, number> => {
    const block = deployment.slice(deployment.indexOf(`${name}:`)).split(/\n {10}\w+:/)[0]
    return Object.fromEntries([...block.matchAll(/(periodSeconds|timeoutSeconds|failureThreshold): (\d+)/g)].map((match) => [match[1], Number(match[2])]))
  }
  for (const name of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const settings = probe(name)
    t.ok(settings.timeoutSeconds >= 2, `${name}: a 1 s stall is not a timeout (timeoutSeconds ${settings.timeoutSeconds})`)
    t.ok(settings.failureThreshold >= 2, `${name}: one slow answer is not a failure (failureThreshold ${settings.failureThreshold})`)
  }
  t.match(deployment, /livenessProbe:\n\s+httpGet:\n\s+path: \/healthz/, 'liveness asks /healthz, which never waits for the worker pool')
  // every variable the template sets is one the service reads
  const names = [...deployment.matchAll(/- name: ([A-Z_]+)\n/g)].map((match) => match[1])
  t.same(names.filter((name) => !(name in ConfigSchema.properties)), [])
  t.ok(names.includes('WORKER_THREADS'), 'the worker pool is sized to the CPU limit, not to the node\'s CPUs')
})

/**
 * The NetworkPolicy template rendered for given values, as Helm would for the constructs it uses
 * (if/else/end on a value, toYaml | nindent, include), so the values-to-rule mapping is testable
 * without Helm.
 */
function renderNetworkPolicy (networkPolicy: Record<string, unknown>): unknown {
  let text = read(`${chart}/templates/networkpolicy.yaml`)
  if (networkPolicy.enabled !== true) return undefined
  text = text.replace(/^\{\{- if \.Values\.networkPolicy\.enabled \}\}\n/, '').replace(/\n\{\{- end \}\}\n?$/, '\n')
  text = text.replace(/\{\{- if \.Values\.networkPolicy\.(\w+) \}\}\n([\s\S]*?)\s*\{\{- else \}\}\n([\s\S]*?)\s*\{\{- end \}\}/g,
    (_match, key: string, whenSet: string, whenEmpty: string) => (networkPolicy[key] as unknown[]).length > 0 ? whenSet : whenEmpty)
  text = text.replace(/\s*\{\{- toYaml \.Values\.networkPolicy\.(\w+) \| nindent (\d+) \}\}/g, (_match, key: string, indent: string) =>
    '\n' + stringify(networkPolicy[key]).trimEnd().split('\n').map((line) => ' '.repeat(Number(indent)) + line).join('\n'))
  text = text.replace(/\{\{ include "sizing-service\.fullname" \. \}\}/g, 'release-sizing-service')
  text = text.replace(/\s*\{\{- include "sizing-service\.(?:selector)?[lL]abels" \. \| nindent (\d+) \}\}/g, (_match, indent: string) => `\n${' '.repeat(Number(indent))}app.kubernetes.io/name: sizing-service`)
  t.notMatch(text, /\{\{/, 'every template action rendered')
  return parse(text)
}

t.test('NetworkPolicy: an empty list admits this namespace\'s pods only; a list is used as given', async (t) => {
  t.equal(renderNetworkPolicy({ enabled: false, apiFrom: [], metricsFrom: [] }), undefined, 'off by default')
  const defaults = renderNetworkPolicy({ ...(values.networkPolicy as object), enabled: true }) as { spec: { ingress: Array<{ ports: unknown[], from: unknown[] }> } }
  t.doesNotThrow(() => { new NetworkPolicy(defaults as ConstructorParameters<typeof NetworkPolicy>[0]).validate() }, 'a valid networking.k8s.io/v1 NetworkPolicy')
  t.same(defaults.spec.ingress.map((rule) => rule.from), [[{ podSelector: {} }], [{ podSelector: {} }]], 'empty apiFrom and metricsFrom: podSelector {} (the namespace\'s pods), never a rule without from')
  t.ok(defaults.spec.ingress.every((rule) => Array.isArray(rule.from) && rule.from.length > 0), 'no ingress rule admits every source')
  const monitoring = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]
  const portal = [{ podSelector: { matchLabels: { app: 'portal' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }]
  const custom = renderNetworkPolicy({ enabled: true, apiFrom: portal, metricsFrom: monitoring }) as typeof defaults
  t.doesNotThrow(() => { new NetworkPolicy(custom as ConstructorParameters<typeof NetworkPolicy>[0]).validate() })
  t.same(custom.spec.ingress, [
    { ports: [{ port: 'http', protocol: 'TCP' }], from: portal },
    { ports: [{ port: 'metrics', protocol: 'TCP' }], from: monitoring }
  ], 'the peers as given, each on its port')
})
