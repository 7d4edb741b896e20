import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { HA_ALERT_RULES, HA_CHECKLIST, tierOfDocument, validateAeterna } from '../../../src/models/aeterna/ha.js'
import { tierValues } from '../../../src/models/aeterna/tiers.js'
import { MAX_NESTING, nestingDepth, parseYamlDocument } from '../../../src/plugins/yaml-body.js'

const complete = (): Record<string, any> => parse(readFileSync(new URL('../../fixtures/aeterna/values-ha-complete.yaml', import.meta.url), 'utf8'))
const failing = (values: Record<string, unknown>, memoryCount?: number) => validateAeterna(values, memoryCount).findings.filter((f) => !f.passed)

t.test('the seed\'s small tier fails the HA checks; medium and large pass', async (t) => {
  const small = validateAeterna(tierValues('small'))
  t.equal(small.ok, false)
  t.same(small.findings.filter((f) => !f.passed && f.severity === 'error').map((f) => f.id), ['AETERNA_REPLICAS', 'POSTGRESQL_INSTANCES', 'QDRANT_REPLICAS', 'OPAL_REPLICAS', 'DRAGONFLY_REPLICAS'])
  t.match(small.findings.find((f) => f.id === 'DRAGONFLY_REPLICAS')?.message, 'not set (Kubernetes runs 1)')
  for (const tier of ['medium', 'large'] as const) {
    const result = validateAeterna(tierValues(tier))
    t.equal(result.ok, true, `${tier} passes`)
    t.equal(result.tier, tier, 'the document meets its own tier')
    t.equal(result.summary.errors, 0)
    t.ok(result.findings.filter((f) => !f.passed).every((f) => f.severity === 'warning' && f.message.includes('is not set in this document')), 'what it does not set is a warning')
  }
  t.equal(HA_CHECKLIST.length, validateAeterna({}).findings.length, 'one finding per checklist item')
})

t.test('a document with every HA setting passes every check', async (t) => {
  const result = validateAeterna(complete(), 50_000)
  t.same(failing(complete(), 50_000), [])
  t.same(result.summary, { errors: 0, warnings: 0, passed: HA_CHECKLIST.length })
  t.match(result.findings.find((f) => f.id === 'QDRANT_REPLICAS')?.message, 'tolerate 1 failure')
})

const breaks: Array<[string, (values: Record<string, any>) => void, string, 'error' | 'warning', string[]?]> = [
  ['AETERNA_REPLICAS', (v) => { v.aeterna.replicaCount = 2; v.aeterna.pdb.minAvailable = 1 }, 'at least 3', 'error'],
  ['POSTGRESQL_INSTANCES', (v) => { v.postgresql.cloudnativepg.instances = 1 }, 'at least 3', 'error'],
  ['QDRANT_REPLICAS', (v) => { v.qdrant.replicaCount = 4 }, 'use an odd count', 'error'],
  ['QDRANT_REPLICAS', (v) => { v.qdrant.replicaCount = 2; v.qdrant.pdb.minAvailable = 1 }, 'Raft needs at least 3', 'error'],
  ['OPAL_REPLICAS', (v) => { v.opal.opalServer.replicaCount = 1 }, 'at least 2', 'error', ['OPAL_PDB']],
  ['DRAGONFLY_REPLICAS', (v) => { delete v.dragonfly.replicaCount }, 'not set (Kubernetes runs 1)', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = 3 }, 'is not below the 3 replicas', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = 0 }, 'at least 1', 'error'],
  ['QDRANT_PDB', (v) => { v.qdrant.pdb.enabled = false }, 'no disruption budget', 'error'],
  ['OPAL_PDB', (v) => { delete v.opal.pdb }, 'opal.pdb is not set', 'warning'],
  ['AETERNA_ANTI_AFFINITY', (v) => { v.aeterna.affinity.podAntiAffinity = {} }, 'no required or preferred terms', 'error'],
  ['QDRANT_ANTI_AFFINITY', (v) => { delete v.qdrant.affinity }, 'is not set', 'warning'],
  ['OPAL_ANTI_AFFINITY', (v) => { v.opal.opalServer.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution = [] }, 'no required or preferred terms', 'warning'],
  ['DRAGONFLY_ANTI_AFFINITY', (v) => { delete v.dragonfly.affinity }, 'is not set', 'warning'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.affinity.podTopologySpread[0].topologyKey = 'kubernetes.io/hostname' }, 'a zone failure can take every replica', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { delete v.aeterna.affinity.podTopologySpread }, 'is not set', 'warning'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous_commit = 'off' }, 'can lose committed transactions', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous_standby_names = '' }, 'no synchronous standby', 'error'],
  ['POSTGRESQL_BACKUP', (v) => { v.postgresql.cloudnativepg.backup.enabled = false }, 'Backups are disabled', 'error'],
  ['REPLICATED_STORAGE', (v) => { v.qdrant.persistence.storageClass = 'gp3' }, 'qdrant.persistence.storageClass = gp3', 'warning'],
  ['REPLICATED_STORAGE', (v) => { delete v.postgresql.cloudnativepg.storage.storageClass }, 'is not set', 'warning'],
  ['AUTOSCALING_MIN_REPLICAS', (v) => { v.autoscaling.minReplicas = 2 }, 'could scale below the 3 replicas', 'error'],
  ['AUTOSCALING_MIN_REPLICAS', (v) => { v.autoscaling.enabled = false }, 'not enabled', 'error'],
  ['AUTOSCALING_MIN_REPLICAS', (v) => { v.autoscaling.maxReplicas = 2; v.autoscaling.minReplicas = 3 }, 'below minReplicas', 'error'],
  ['AETERNA_RESOURCES', (v) => { v.aeterna.resources.requests.cpu = '100m' }, 'requests.cpu 0.1 < 0.5 cores', 'error'],
  ['POSTGRESQL_RESOURCES', (v) => { v.postgresql.cloudnativepg.resources.limits.memory = '1Gi' }, 'limits.memory 1 < 3 GiB', 'error'],
  ['QDRANT_RESOURCES', (v) => { delete v.qdrant.resources }, 'requests.cpu 0 < 0.5 cores', 'error'],
  ['DRAGONFLY_RESOURCES', (v) => { v.dragonfly.resources.requests.memory = 'lots' }, 'requests.memory 0 < 0.5 GiB', 'error'],
  ['OPAL_RESOURCES', (v) => { v.opal.opalServer.resources.limits.cpu = '500m' }, 'limits.cpu 0.5 < 1 cores', 'error']
]

t.test('hand-made documents that break one rule at a time', async (t) => {
  for (const [id, breakRule, message, severity, alsoFailing = []] of breaks) {
    const values = complete()
    breakRule(values)
    const failed = failing(values, 50_000)
    // one OPAL replica cannot have a PDB that allows an eviction: both fail
    t.same(failed.map((f) => f.id), [id, ...alsoFailing], `${id}: only that check fails`)
    t.match(failed[0], { severity, message: new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
    t.equal(validateAeterna(values, 50_000).ok, severity !== 'error', `${id}: ok follows the severity`)
  }
})

t.test('resources are checked against the tier the memory count needs', async (t) => {
  const result = validateAeterna(tierValues('medium'), 500_000)
  t.equal(result.tier, 'large')
  t.equal(result.tierBasis, 'memoryCount')
  t.equal(result.ok, false)
  t.same(result.findings.filter((f) => !f.passed && f.severity === 'error').map((f) => f.id), ['AETERNA_RESOURCES', 'POSTGRESQL_RESOURCES', 'QDRANT_RESOURCES', 'DRAGONFLY_RESOURCES', 'OPAL_RESOURCES'])
  t.equal(validateAeterna(tierValues('large'), 500).ok, true, 'more than a tier needs is fine')
  t.equal(tierOfDocument({}), 'small')
  t.match(validateAeterna({ postgresql: { cloudnativepg: { backup: { enabled: true } } } }).findings.find((f) => f.id === 'POSTGRESQL_BACKUP'), { passed: true, message: 'Backups enabled (schedule not set).' })
  t.equal(tierOfDocument(tierValues('large')), 'large')
  t.equal(validateAeterna({ autoscaling: { enabled: true, minReplicas: 3 } }).findings.find((f) => f.id === 'AUTOSCALING_MIN_REPLICAS')?.passed, true)
  t.equal(validateAeterna({ aeterna: { topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }] } }).findings.find((f) => f.id === 'AETERNA_TOPOLOGY_SPREAD')?.passed, true)
})

t.test('the alert rules of seed 002, with the one that does not measure IOPS flagged', async (t) => {
  t.same(HA_ALERT_RULES.map((rule) => rule.alert), ['AeternaPodsBelowMinReplicas', 'PostgreSQLNotReplicating', 'QdrantClusterDegraded', 'StorageIOPSThrottled'])
  t.match(HA_ALERT_RULES[3].note, /SEED_INCONSISTENCY/)
})

t.test('YAML parsing limits', async (t) => {
  t.equal(nestingDepth('a:\n  b:\n    c: [1, [2, {x: 3}]]'), 3)
  t.equal(nestingDepth(`${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`), MAX_NESTING + 1)
  t.throws(() => parseYamlDocument('['.repeat(100)), { code: 'INVALID_YAML', message: /nested deeper than 64 levels/ })
  t.throws(() => parseYamlDocument(`${' '.repeat(200)}a: 1`), { code: 'INVALID_YAML' })
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((key, i) => `${key}: &${key} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n')
  t.throws(() => parseYamlDocument(bomb), { code: 'INVALID_YAML', message: /alias/i })
  t.throws(() => parseYamlDocument('a: 1\na: 2'), { code: 'INVALID_YAML', message: /unique/ })
  t.same(parseYamlDocument('a: 1'), { a: 1 })
})
