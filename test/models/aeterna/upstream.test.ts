import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { knownLayout } from '../../../src/models/aeterna/values-files.js'
import { type LayoutTree, UPSTREAM_COMMIT, keysNotRead, layoutNodeAt, prereqsServices, toUpstreamValues, upstreamLayout } from '../../../src/models/aeterna/upstream.js'

type Values = Record<string, unknown>

const dataFile = (name: string): string => readFileSync(new URL(`../../../data/aeterna/${name}`, import.meta.url), 'utf8')
const layoutJson = JSON.parse(dataFile('upstream/layout.json')) as { upstream: { repository: string, sha: string, date: string }, declaredNotRead: { app: string[], prereqs: string[] } }
const valuesKeys = JSON.parse(dataFile('upstream/values-keys.json')) as Record<string, string[]> & { sha: string }

const isMapping = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Helm's merge of values files: mappings key by key, anything else replaced. */
function merge (base: Values, overlay: Values): Values {
  const merged: Values = { ...base }
  for (const [key, value] of Object.entries(overlay)) merged[key] = isMapping(merged[key]) && isMapping(value) ? merge(merged[key], value) : value
  return merged
}

/** Every leaf path of a document (lists and empty mappings are leaves). */
function leafPaths (document: Values, prefix: string[] = []): string[][] {
  return Object.entries(document).flatMap(([key, value]) => isMapping(value) && Object.keys(value).length > 0 ? leafPaths(value, [...prefix, key]) : [[...prefix, key]])
}

/** A document with the given key paths (values are placeholders: only the keys are upstream's). */
function documentOf (paths: string[]): Values {
  const document: Values = {}
  for (const path of paths) {
    const keys = path.split('.')
    let node = document
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Values
    node[keys[keys.length - 1]] = 'x'
  }
  return document
}

const at = (document: Values, path: string): unknown => path.split('.').reduce<unknown>((node, key) => isMapping(node) ? node[key] : undefined, document)

const large = parse(dataFile('values-large.yaml')) as Values
const small = parse(dataFile('values-small.yaml')) as Values
const overlay = parse(dataFile('values-ha-overlay.yaml')) as Values
const largeHa = merge(large, overlay)
const seedLayout = knownLayout() as LayoutTree

t.test('the commit followed is the one layout.json was derived from', async (t) => {
  t.same(UPSTREAM_COMMIT, { sha: layoutJson.upstream.sha, date: layoutJson.upstream.date, repository: layoutJson.upstream.repository })
  t.equal(valuesKeys.sha, UPSTREAM_COMMIT.sha, 'the values-key fixtures are of the same commit')
  t.match(UPSTREAM_COMMIT.sha, /^[0-9a-f]{40}$/)
})

t.test('the layout: what each chart\'s templates read', async (t) => {
  const { app, prereqs } = upstreamLayout()
  t.same(layoutNodeAt(app, ['aeterna', 'autoscaling']), {
    enabled: 'open',
    maxReplicas: 'open',
    minReplicas: 'open',
    targetCPUUtilizationPercentage: 'open',
    targetMemoryUtilizationPercentage: 'open',
    vpa: { enabled: 'open', maxAllowed: { cpu: 'open', memory: 'open' }, minAllowed: { cpu: 'open', memory: 'open' }, updateMode: 'open' }
  }, 'HPA and VPA keys; no behavior')
  t.same(layoutNodeAt(app, ['aeterna', 'pdb']), { enabled: 'open', minAvailable: 'open' })
  t.same(Object.keys(layoutNodeAt(app, ['postgresql']) as object).sort(), ['database', 'existingSecret', 'host', 'passwordKey', 'port', 'sslMode', 'username'], 'the app chart only connects to PostgreSQL')
  for (const key of ['qdrant', 'dragonfly', 'cache', 'vectorBackend', 'autoscaling']) t.equal(layoutNodeAt(app, [key]), undefined, `the app chart reads no ${key}`)
  t.equal(layoutNodeAt(app, ['opal', 'server', 'affinity']), undefined, 'OPAL is still in the app chart, without affinity')
  t.equal(layoutNodeAt(app, ['aeterna', 'affinity', 'podAntiAffinity']), 'open', 'below an open node everything is read')
  t.equal(layoutNodeAt(app, ['aeterna', 'constructor']), undefined, 'only a chart\'s own keys')
  t.equal(layoutNodeAt(prereqs, ['postgresql', 'instances']), 'open')
  t.equal(layoutNodeAt(prereqs, ['postgresql', 'synchronous']), undefined)
  t.equal(layoutNodeAt(prereqs, ['cache', 'dragonfly', 'replicas']), 'open')
  t.equal(layoutNodeAt(prereqs, ['qdrant', 'persistence', 'storageClassName']), 'open', 'the qdrant subchart\'s key')
  t.equal(layoutNodeAt(prereqs, ['qdrant', 'persistence', 'storageClass']), undefined)
  t.equal(layoutNodeAt(prereqs, ['qdrant', 'enabled']), undefined, 'the switch is vectorStore.qdrant.enabled')
  t.equal(layoutNodeAt(prereqs, ['qdrant', 'config', 'storage', 'collection', 'replication_factor']), 'open')
  t.equal(layoutNodeAt(prereqs, ['openbao', 'server', 'ha']), 'open', 'the openbao block is handed to its subchart')
})

t.test('the large tier with the HA settings, as the two charts\' values', async (t) => {
  const { app, prereqs, notExpressible } = toUpstreamValues(largeHa)
  // the large tier file
  t.equal(at(app, 'aeterna.replicaCount'), 5)
  t.same(at(app, 'aeterna.resources'), { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '4000m', memory: '4Gi' } })
  t.equal(at(prereqs, 'postgresql.instances'), 5)
  t.same(at(prereqs, 'postgresql.resources'), { requests: { cpu: '1000m', memory: '4Gi' }, limits: { cpu: '4000m', memory: '8Gi' } })
  t.equal(at(prereqs, 'postgresql.storage.size'), '500Gi')
  t.equal(at(prereqs, 'qdrant.replicaCount'), 5)
  t.same(at(prereqs, 'qdrant.resources'), { requests: { cpu: '2000m', memory: '4Gi' }, limits: { cpu: '4000m', memory: '8Gi' } })
  t.equal(at(prereqs, 'qdrant.persistence.size'), '1000Gi')
  t.equal(at(prereqs, 'cache.dragonfly.replicas'), 3, 'dragonfly.replicaCount: the Dragonfly resource the app connects to')
  t.equal(at(prereqs, 'dragonfly'), undefined, 'nothing for the standalone dragonfly subchart')
  t.equal(at(app, 'opal.server.replicaCount'), 3)
  t.same(at(app, 'opal.server.resources'), { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } })
  // the HA settings, wherever the overlay has them
  t.same(at(app, 'aeterna.pdb'), at(largeHa, 'aeterna.pdb'))
  t.same(at(app, 'aeterna.affinity.podAntiAffinity'), at(largeHa, 'aeterna.affinity.podAntiAffinity'))
  t.equal(at(app, 'aeterna.affinity.podTopologySpread'), undefined, 'never inside affinity')
  t.ok(Array.isArray(at(app, 'aeterna.topologySpreadConstraints')), 'the zone spread is a topologySpreadConstraints list')
  for (const key of ['enabled', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage']) {
    t.equal(at(app, `aeterna.autoscaling.${key}`), at(largeHa, `autoscaling.${key}`), `autoscaling.${key} -> aeterna.autoscaling.${key}`)
  }
  t.equal(at(app, 'autoscaling'), undefined)
  t.equal(at(prereqs, 'postgresql.enabled'), true)
  t.equal(at(prereqs, 'postgresql.storage.storageClass'), at(largeHa, 'postgresql.cloudnativepg.storage.storageClass'))
  t.equal(at(prereqs, 'postgresql.backup.enabled'), true)
  t.equal(at(prereqs, 'postgresql.backup.schedule'), at(largeHa, 'postgresql.cloudnativepg.backup.schedule'))
  t.equal(at(prereqs, 'postgresql.backup.provider'), 's3', 'backup.destination -> backup.provider')
  t.equal(at(prereqs, 'qdrant.persistence.storageClassName'), at(largeHa, 'qdrant.persistence.storageClass'))
  // the Qdrant chart's default maxUnavailable: 1 beside minAvailable would render a budget the API server rejects: null removes it
  t.same(at(prereqs, 'qdrant.podDisruptionBudget'), { ...(at(largeHa, 'qdrant.pdb') as object), maxUnavailable: null }, 'qdrant.pdb -> qdrant.podDisruptionBudget, one of the two')
  t.same(at(prereqs, 'qdrant.affinity'), at(largeHa, 'qdrant.affinity'))
  t.same(at(prereqs, 'qdrant.config'), at(largeHa, 'qdrant.config'), 'the Qdrant config is handed on whole')
  t.equal(at(prereqs, 'vectorStore.qdrant.enabled'), true, 'qdrant.enabled -> the switch the chart reads')
  t.equal(at(prereqs, 'cache.dragonfly.enabled'), true)
  t.equal(at(app, 'opal.enabled'), true)
  // the connections the app chart requires, to what the prereqs chart (release "aeterna") deploys
  t.equal(at(app, 'postgresql.host'), 'aeterna-aeterna-prereqs-cnpg-rw')
  t.equal(at(app, 'postgresql.existingSecret'), 'aeterna-aeterna-prereqs-cnpg-app')
  t.equal(at(app, 'redis.host'), 'aeterna-aeterna-prereqs-dragonfly')
  t.equal(at(app, 'vectorStore.host'), 'aeterna-qdrant')
  t.equal(at(app, 'vectorStore.type'), 'qdrant')
  t.equal(at(app, 'vectorStore.port'), 6333)
  t.equal(at(app, 'opal.server.redis.pubsubUri'), 'redis://aeterna-aeterna-prereqs-dragonfly:6379/0')

  const seedPaths = notExpressible.map((entry) => entry.seedPath)
  for (const path of ['postgresql.cloudnativepg.primaryUpdateStrategy', 'postgresql.cloudnativepg.monitoring', 'postgresql.cloudnativepg.enablePDB', 'postgresql.cloudnativepg.backup', 'dragonfly.resources', 'dragonfly.affinity', 'dragonfly.persistence', 'opal.opalServer.affinity', 'opal.pdb']) {
    t.ok(seedPaths.includes(path), `${path} is not expressible`)
  }
  t.equal(new Set(seedPaths).size, seedPaths.length, 'each once')
  t.match(notExpressible.find((entry) => entry.seedPath === 'dragonfly.resources')?.reason, /aeterna-aeterna-prereqs-dragonfly.*500m CPU \/ 512Mi/)
  t.match(notExpressible.find((entry) => entry.seedPath === 'postgresql.cloudnativepg.backup')?.reason, /postgresql\.backup\.destinationPath/)
  for (const entry of notExpressible) t.notMatch(entry.reason, /\{(cluster|dragonfly)\}/, `${entry.seedPath}: names filled in`)
})

t.test('every key written is one the chart\'s templates read', async (t) => {
  const layout = upstreamLayout()
  for (const document of [largeHa, large, small, merge(small, overlay)]) {
    const { app, prereqs } = toUpstreamValues(document)
    for (const path of leafPaths(app)) t.not(layoutNodeAt(layout.app, path), undefined, `app ${path.join('.')}`)
    for (const path of leafPaths(prereqs)) t.not(layoutNodeAt(layout.prereqs, path), undefined, `prereqs ${path.join('.')}`)
    t.same(keysNotRead(app, 'upstream-app', seedLayout), [])
    t.same(keysNotRead(prereqs, 'upstream-prereqs', seedLayout), [])
  }
})

t.test('the app chart\'s defaults the seed does not ask for are off', async (t) => {
  const { app, notExpressible } = toUpstreamValues(small)
  t.equal(at(app, 'aeterna.autoscaling.enabled'), false, 'no HPA: it would take over the replica count')
  t.equal(at(app, 'aeterna.pdb.enabled'), false, 'no PodDisruptionBudget: with one replica it blocks every drain')
  t.equal(at(app, 'aeterna.replicaCount'), 1)
  t.same(notExpressible.map((entry) => entry.seedPath), ['dragonfly.resources'])
  const cpuOnly = toUpstreamValues({ aeterna: { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 60 } } }).app
  t.equal(at(cpuOnly, 'aeterna.autoscaling.targetCPUUtilizationPercentage'), 60)
  t.equal(at(cpuOnly, 'aeterna.autoscaling.targetMemoryUtilizationPercentage'), null, 'the chart\'s default memory target is removed')
  t.same(at(toUpstreamValues({ aeterna: { pdb: { minAvailable: 1 } } }).app, 'aeterna.pdb'), { minAvailable: 1 }, 'a PDB the seed sets stays as set')
})

t.test('PostgreSQL settings: parameters as strings, what CloudNativePG manages is not expressible', async (t) => {
  const { prereqs, notExpressible } = toUpstreamValues({
    postgresql: {
      cloudnativepg: {
        postgresql: {
          synchronous_commit: 'on',
          max_connections: 200,
          synchronous_standby_names: 'ANY 1 (a, b)',
          parameters: { work_mem: '64MB', hot_standby_feedback: true, synchronous_standby_names: 'ANY 1 (a, b)' },
          pg_hba: ['host all all 10.0.0.0/8 scram-sha-256'],
          synchronous: { method: 'any', number: 1, dataDurability: 'required' },
          ldap: { server: 'ldap' },
          shared_preload_libraries: ['pg_stat_statements']
        },
        affinity: { enablePodAntiAffinity: true },
        backup: { enabled: true, destination: 's3', destinationPath: 's3://bucket/aeterna', retentionPolicy: '30d' }
      }
    }
  })
  t.same(at(prereqs, 'postgresql.parameters'), { synchronous_commit: 'on', max_connections: '200', work_mem: '64MB', hot_standby_feedback: 'true' })
  t.same(at(prereqs, 'postgresql.pg_hba'), ['host all all 10.0.0.0/8 scram-sha-256'])
  t.same(at(prereqs, 'postgresql.backup'), { enabled: true, provider: 's3', destinationPath: 's3://bucket/aeterna', retentionPolicy: '30d' })
  const reasons = Object.fromEntries(notExpressible.map((entry) => [entry.seedPath, entry.reason]))
  t.same(Object.keys(reasons).sort(), [
    'postgresql.cloudnativepg.affinity',
    'postgresql.cloudnativepg.postgresql.ldap',
    'postgresql.cloudnativepg.postgresql.parameters.synchronous_standby_names',
    'postgresql.cloudnativepg.postgresql.shared_preload_libraries',
    'postgresql.cloudnativepg.postgresql.synchronous',
    'postgresql.cloudnativepg.postgresql.synchronous_standby_names'
  ], 'a destination path given: no backup input missing')
  t.match(reasons['postgresql.cloudnativepg.postgresql.synchronous'], /Cluster resource \(aeterna-aeterna-prereqs-cnpg, spec\.postgresql\.synchronous\)/)
  t.match(reasons['postgresql.cloudnativepg.postgresql.synchronous_standby_names'], /webhook rejects/)
  t.match(reasons['postgresql.cloudnativepg.postgresql.ldap'], /Not a PostgreSQL parameter/)
  const badProvider = toUpstreamValues({ postgresql: { cloudnativepg: { backup: { destination: 'nfs' } } } })
  t.same(badProvider.notExpressible.map((entry) => entry.seedPath), ['postgresql.cloudnativepg.backup.destination'])
  t.equal(at(badProvider.prereqs, 'postgresql.backup'), undefined)
})

t.test('topology spread: every seed form lands in one list', async (t) => {
  const zone = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }
  const host = { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }
  const { app, notExpressible } = toUpstreamValues({ aeterna: { affinity: { podTopologySpread: [zone] }, podTopologySpread: [host], topologySpreadConstraints: [zone] } })
  t.same(at(app, 'aeterna.topologySpreadConstraints'), [zone, host, zone])
  t.same(at(app, 'aeterna.affinity'), undefined, 'an affinity of nothing but the spread is no affinity')
  t.same(notExpressible, [])
  const notAList = toUpstreamValues({ aeterna: { podTopologySpread: zone } }).notExpressible
  t.same(notAList.map((entry) => entry.seedPath), ['aeterna.podTopologySpread'])
  t.match(notAList[0].reason, /list of topology spread constraints/)
})

t.test('keys no chart takes, and keys the target chart does not read', async (t) => {
  const { app, notExpressible } = toUpstreamValues({
    deploymentNotes: 'x',
    aeterna: { nodeSelector: { pool: 'compute' }, sidecars: [], pdb: { enabled: true, maxUnavailable: 1 }, autoscaling: { enabled: true, targetCPUUtilizationPercentage: 70, targetMemoryUtilizationPercentage: 80, behavior: {}, vpa: { enabled: true, updateMode: 'Off', controlledValues: 'RequestsOnly' } } },
    opal: { cedarAgent: { replicaCount: 2 }, fetcher: 3 },
    qdrant: { persistence: { replicas: 3 } },
    dragonfly: { image: { tag: 'v1' } }
  })
  t.same(at(app, 'aeterna.nodeSelector'), { pool: 'compute' })
  t.same(at(app, 'aeterna.autoscaling.vpa'), { enabled: true, updateMode: 'Off' })
  t.equal(at(app, 'opal.cedarAgent.replicaCount'), 2)
  t.same(at(app, 'aeterna.pdb'), { enabled: true })
  const reasons = Object.fromEntries(notExpressible.map((entry) => [entry.seedPath, entry.reason]))
  t.match(reasons, {
    deploymentNotes: /no key of either upstream chart/,
    'aeterna.sidecars': /app \(charts\/aeterna\) chart reads no aeterna\.sidecars/,
    'aeterna.pdb.maxUnavailable': /minAvailable only/,
    'aeterna.autoscaling.behavior': /no behavior key/,
    'aeterna.autoscaling.vpa.controlledValues': /reads no aeterna\.autoscaling\.vpa\.controlledValues/,
    'opal.fetcher': /reads keys under opal\.fetcher, not a single value/,
    'qdrant.persistence.replicas': /replicaCount/,
    'dragonfly.image': /Dragonfly resource aeterna-aeterna-prereqs-dragonfly/
  })
  t.equal(Object.keys(reasons).length, 8)
})

t.test('without a backend in the prereqs chart the app needs your own', async (t) => {
  const { app, prereqs, notExpressible } = toUpstreamValues({ postgresql: { cloudnativepg: { enabled: false } }, dragonfly: { enabled: false }, qdrant: { enabled: false } })
  t.same(prereqs, { postgresql: { enabled: false }, cache: { dragonfly: { enabled: false } }, vectorStore: { qdrant: { enabled: false } } })
  t.same(app, { aeterna: { autoscaling: { enabled: false }, pdb: { enabled: false } } }, 'no hosts, no secret, no pubsub URI')
  t.same(notExpressible.map((entry) => entry.seedPath), ['postgresql.cloudnativepg.enabled', 'dragonfly.enabled', 'qdrant.enabled'])
  t.match(notExpressible.map((entry) => entry.reason), [/PostgreSQL.*postgresql\.host/, /cache.*redis\.host/, /vector store.*vectorStore\.host/])
  const noOpal = toUpstreamValues({ opal: { enabled: false } }).app
  t.equal(at(noOpal, 'opal.server'), undefined, 'no OPAL, no pubsub URI')
  t.equal(at(noOpal, 'redis.host'), 'aeterna-aeterna-prereqs-dragonfly')
})

t.test('service names follow the release name', async (t) => {
  t.same(prereqsServices(), {
    cluster: 'aeterna-aeterna-prereqs-cnpg',
    dragonfly: 'aeterna-aeterna-prereqs-dragonfly',
    postgresqlHost: 'aeterna-aeterna-prereqs-cnpg-rw',
    postgresqlSecret: 'aeterna-aeterna-prereqs-cnpg-app',
    redisHost: 'aeterna-aeterna-prereqs-dragonfly',
    vectorStoreHost: 'aeterna-qdrant'
  })
  t.match(prereqsServices({ releaseName: 'aeterna-prereqs', namespace: 'data' }), {
    postgresqlHost: 'aeterna-prereqs-cnpg-rw.data.svc',
    postgresqlSecret: 'aeterna-prereqs-cnpg-app',
    redisHost: 'aeterna-prereqs-dragonfly.data.svc',
    vectorStoreHost: 'aeterna-prereqs-qdrant.data.svc'
  }, 'a release name containing the chart name is the fullname')
  t.equal(prereqsServices({ releaseName: 'my-qdrant' }).vectorStoreHost, 'my-qdrant')
  t.equal(prereqsServices({ releaseName: 'a'.repeat(62) }).cluster, `${'a'.repeat(62)}-cnpg`, 'fullnames are cut at 63 characters, without a trailing dash')
  const { app } = toUpstreamValues(largeHa, { releaseName: 'prereqs', namespace: 'data' })
  t.equal(at(app, 'postgresql.host'), 'prereqs-aeterna-prereqs-cnpg-rw.data.svc')
  t.equal(at(app, 'opal.server.redis.pubsubUri'), 'redis://prereqs-aeterna-prereqs-dragonfly.data.svc:6379/0')
})

t.test('upstream\'s own values files: the keys no template reads', async (t) => {
  const app = keysNotRead(documentOf(valuesKeys['charts/aeterna/values.yaml']), 'upstream-app', seedLayout)
  t.same(app.map((key) => key.path).sort(), [...layoutJson.declaredNotRead.app].sort())
  const prereqs = keysNotRead(documentOf(valuesKeys['charts/aeterna-prereqs/values.yaml']), 'upstream-prereqs', seedLayout)
  t.same(prereqs.map((key) => key.path).sort(), [...layoutJson.declaredNotRead.prereqs].sort())
  t.match(prereqs.find((key) => key.path === 'qdrant.enabled'), { belongsIn: { chart: 'upstream-prereqs', path: 'vectorStore.qdrant.enabled' } })
  t.match(prereqs.find((key) => key.path === 'dragonfly.enabled'), { belongsIn: { chart: 'upstream-prereqs', path: 'cache.dragonfly.enabled' } })
  t.same(app.find((key) => key.path === 'redis.tls'), { path: 'redis.tls' }, 'no layout reads it')

  // upstream's values-large.yaml still has the layout from before the split
  const large = new Map(keysNotRead(documentOf(valuesKeys['charts/aeterna/values-large.yaml']), 'upstream-app', seedLayout).map((key) => [key.path, key.belongsIn]))
  t.same(large.get('postgresql.cloudnativepg.instances'), { chart: 'upstream-prereqs', path: 'postgresql.instances' })
  t.same(large.get('postgresql.cloudnativepg.backup.retentionPolicy'), { chart: 'upstream-prereqs', path: 'postgresql.backup.retentionPolicy' })
  t.same(large.get('qdrant.replicaCount'), { chart: 'upstream-prereqs', path: 'qdrant.replicaCount' })
  t.same(large.get('dragonfly.enabled'), { chart: 'upstream-prereqs', path: 'cache.dragonfly.enabled' })
  for (const path of ['opal.server.affinity', 'vectorBackend', 'postgresql.bundled', 'cache.type', 'backup.retention']) {
    t.ok(large.has(path), `${path} is not read`)
    t.equal(large.get(path), undefined, `${path} is read nowhere`)
  }
})

t.test('keys not read, and where they belong', async (t) => {
  t.same(keysNotRead(largeHa, 'seed', seedLayout), [], 'the seed layout reads the seed\'s documents')
  t.same(keysNotRead(large, 'upstream-app', seedLayout).filter((key) => key.path.startsWith('postgresql')), [
    { path: 'postgresql.cloudnativepg.instances', belongsIn: { chart: 'upstream-prereqs', path: 'postgresql.instances' } },
    { path: 'postgresql.cloudnativepg.resources', belongsIn: { chart: 'upstream-prereqs', path: 'postgresql.resources' } },
    { path: 'postgresql.cloudnativepg.storage.size', belongsIn: { chart: 'upstream-prereqs', path: 'postgresql.storage.size' } }
  ])
  t.same(keysNotRead({
    autoscaling: { enabled: true, behavior: {} },
    aeterna: { podTopologySpread: [], replicaCount: 2 },
    postgresql: { cloudnativepg: { postgresql: { parameters: { work_mem: '4MB' }, synchronous: { number: 1 } } } },
    qdrant: { pdb: { enabled: true } },
    dragonfly: { replicaCount: 2, persistence: { size: '1Gi' } },
    vectorBackend: { type: 'qdrant' },
    constructor: {}
  }, 'upstream-app', seedLayout), [
    { path: 'autoscaling.enabled', belongsIn: { chart: 'upstream-app', path: 'aeterna.autoscaling.enabled' } },
    { path: 'autoscaling.behavior', belongsIn: { chart: 'seed', path: 'autoscaling.behavior' } },
    { path: 'aeterna.podTopologySpread', belongsIn: { chart: 'upstream-app', path: 'aeterna.topologySpreadConstraints' } },
    { path: 'postgresql.cloudnativepg.postgresql.parameters.work_mem', belongsIn: { chart: 'upstream-prereqs', path: 'postgresql.parameters.work_mem' } },
    { path: 'postgresql.cloudnativepg.postgresql.synchronous', belongsIn: { chart: 'seed', path: 'postgresql.cloudnativepg.postgresql.synchronous' } },
    { path: 'qdrant.pdb', belongsIn: { chart: 'upstream-prereqs', path: 'qdrant.podDisruptionBudget' } },
    { path: 'dragonfly.replicaCount', belongsIn: { chart: 'upstream-prereqs', path: 'cache.dragonfly.replicas' } },
    { path: 'dragonfly.persistence.size', belongsIn: { chart: 'seed', path: 'dragonfly.persistence.size' } },
    { path: 'vectorBackend' },
    { path: 'constructor' }
  ])
  t.same(keysNotRead({ redis: { host: 'r' }, postgresql: { instances: 3, cloudnativepg: { instances: 3 } }, qdrant: { podDisruptionBudget: { enabled: true } }, cache: {} }, 'seed', seedLayout), [
    { path: 'redis.host', belongsIn: { chart: 'upstream-app', path: 'redis.host' } },
    { path: 'postgresql.instances', belongsIn: { chart: 'upstream-prereqs', path: 'postgresql.instances' } },
    { path: 'qdrant.podDisruptionBudget.enabled', belongsIn: { chart: 'upstream-prereqs', path: 'qdrant.podDisruptionBudget.enabled' } },
    { path: 'cache', belongsIn: { chart: 'upstream-prereqs', path: 'cache' } }
  ])
  t.same(keysNotRead({ aeterna: { replicaCount: 3, podSecurityContext: {} }, postgresql: { host: 'db', instances: 3 } }, 'upstream-prereqs', seedLayout), [
    { path: 'aeterna.replicaCount', belongsIn: { chart: 'upstream-app', path: 'aeterna.replicaCount' } },
    { path: 'aeterna.podSecurityContext', belongsIn: { chart: 'upstream-app', path: 'aeterna.podSecurityContext' } },
    { path: 'postgresql.host', belongsIn: { chart: 'upstream-app', path: 'postgresql.host' } }
  ])
})
