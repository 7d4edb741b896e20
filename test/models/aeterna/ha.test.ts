import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { CHECKLIST, HA_ALERT_RULES, HA_CHECKLIST, disruptionBudget, layoutTypeError, parseStandbyNames, scaledIntOrPercent, selects, tierOfDocument, unknownPaths, validateAeterna, type ValidationMode } from '../../../src/models/aeterna/ha.js'
import { mergeValues, tierWithHa, valuesChanges } from '../../../src/models/aeterna/overlay.js'
import { tierValues } from '../../../src/models/aeterna/tiers.js'

const fixture = (name: string): Record<string, any> => parse(readFileSync(new URL(`../../fixtures/aeterna/${name}`, import.meta.url), 'utf8'))
const complete = (): Record<string, any> => fixture('values-ha-complete.yaml')
const problems = (values: Record<string, unknown>, mode: ValidationMode = 'lenient', memoryCount = 50_000) =>
  validateAeterna(values, memoryCount, mode).findings.filter((f) => f.status === 'fail' || f.status === 'absent')

t.test('every checklist line of seed 002 is reported, the ones a values file cannot show as such', async (t) => {
  const result = validateAeterna({})
  for (const line of Object.values(CHECKLIST)) t.ok(result.findings.some((f) => f.checklistItem === line), line)
  t.same(result.findings.filter((f) => f.status === 'not assessable').map((f) => f.id), ['NODES_AND_ZONES', 'HPA_TESTED', 'BACKUP_RESTORE_VALIDATED', 'LOAD_TESTING', 'FAILOVER_TESTS'])
  t.equal(result.summary.notAssessable, 5)
  t.ok(result.findings.every((f) => f.seedReference !== '' && f.expected !== '' && f.message !== ''))
  t.equal(HA_CHECKLIST.length, 38, 'checks listed by GET /ha/aeterna')
})

t.test('the seed\'s tiers: lenient and strict, with and without the HA overlay', async (t) => {
  const small = validateAeterna(tierValues('small'), undefined, 'lenient')
  t.equal(small.ok, false)
  t.equal(validateAeterna(tierValues('small')).summary.errors, small.summary.errors + small.summary.warnings, 'strict, the default: small fails on every absent setting as well')
  t.same(small.findings.filter((f) => f.status === 'fail').map((f) => f.id), ['AETERNA_REPLICAS', 'POSTGRESQL_INSTANCES', 'QDRANT_REPLICAS', 'OPAL_REPLICAS'])
  t.match(small.findings.find((f) => f.id === 'DRAGONFLY_REPLICAS'), { status: 'absent', severity: 'warning', message: /Kubernetes runs 1/ })
  for (const tier of ['medium', 'large'] as const) {
    const lenient = validateAeterna(tierValues(tier), undefined, 'lenient')
    t.equal(lenient.ok, true, `${tier} passes lenient`)
    t.equal(lenient.strictOk, false, 'the lenient answer gives the strict verdict beside its own')
    t.match(lenient.notice, /lenient mode \(opt-in\)/)
    t.equal(lenient.tier, tier, 'the document meets its own tier')
    t.ok(lenient.findings.filter((f) => f.status === 'absent').every((f) => f.severity === 'warning' && /is not set in this document/.test(f.message)), 'what it does not set is a warning')
    const strict = validateAeterna(tierValues(tier))
    t.equal(strict.mode, 'strict', 'strict is the default')
    t.equal(strict.notice, undefined)
    t.equal(strict.ok, false, `${tier} alone fails strict: the HA settings are absent`)
    t.equal(strict.summary.errors, lenient.summary.warnings, 'every absent setting is an error in strict mode')
    const overlaid = validateAeterna(tierWithHa(tier).values, undefined, 'strict')
    t.same(overlaid.findings.filter((f) => f.status === 'fail' || f.status === 'absent').map((f) => f.id), [], `${tier} with the HA overlay passes strict`)
    t.equal(overlaid.ok, true)
  }
  // large runs 5 Qdrant replicas: the overlay keeps a Raft majority of 3 in the PDB
  t.equal(tierWithHa('large').values.qdrant && (tierWithHa('large').values.qdrant as any).pdb.minAvailable, 3)
})

t.test('a document with every HA setting passes every check in both modes', async (t) => {
  for (const mode of ['lenient', 'strict'] as const) {
    const result = validateAeterna(complete(), 50_000, mode)
    t.same(problems(complete(), mode), [])
    t.same(result.summary, { errors: 0, warnings: 0, passed: 41, notAssessable: 5 })
    t.same(result.cluster, { nodes: 5, zones: 3, basis: 'the HA cluster GET /tiers/medium?ha=true plans (5 nodes, 3 zones)' })
    t.equal(result.mode, mode)
  }
  t.match(validateAeterna(complete()).findings.find((f) => f.id === 'QDRANT_REPLICAS')?.message, 'tolerate 1 failure')
  t.match(validateAeterna(complete()).findings.find((f) => f.id === 'QDRANT_REPLICATION')?.message, 'Every shard has 3 copies on 3 peers; a node or zone loss leaves at least 2, and writes need 2')
  t.match(validateAeterna(complete()).findings.find((f) => f.id === 'DRAGONFLY_REPLICATION')?.message, /1 primary and 1 read-only replica\(s\)\. Dragonfly replicas are read-only/)
})

/** [id, break, message, lenient severity]: strict makes every one an error. */
const breaks: Array<[string, (values: Record<string, any>) => void, string, 'error' | 'warning', string[]?]> = [
  ['AETERNA_REPLICAS', (v) => { v.aeterna.replicaCount = 2; v.aeterna.pdb.minAvailable = 1 }, 'at least 3', 'error'],
  // an invalid count is counted as Kubernetes' 1, so the budget of 2 blocks every eviction too
  ['AETERNA_REPLICAS', (v) => { v.aeterna.replicaCount = 'abc' }, 'aeterna.replicaCount is "abc": not a whole number', 'error', ['AETERNA_PDB']],
  ['AETERNA_REPLICAS', (v) => { v.aeterna.replicaCount = -1 }, 'aeterna.replicaCount is -1', 'error', ['AETERNA_PDB']],
  ['AETERNA_REPLICAS', (v) => { v.aeterna.replicaCount = 2.5 }, 'aeterna.replicaCount is 2.5', 'error', ['AETERNA_PDB']],
  // one instance has no standby to replicate to
  ['POSTGRESQL_INSTANCES', (v) => { v.postgresql.cloudnativepg.instances = 1 }, 'at least 3', 'error', ['POSTGRESQL_SYNC_REPLICATION']],
  // 4 peers over 3 zones put 2 in one: writes may then wait for at most 1 of the 3 copies
  ['QDRANT_REPLICAS', (v) => { v.qdrant.replicaCount = 4; v.qdrant.pdb.minAvailable = 3; v.qdrant.config.storage.collection.write_consistency_factor = 1 }, 'use an odd count', 'warning'],
  ['QDRANT_REPLICAS', (v) => { v.qdrant.replicaCount = 'three'; v.qdrant.pdb.minAvailable = 1; v.qdrant.pdb.enabled = true }, 'qdrant.replicaCount is "three"', 'error', ['QDRANT_PDB', 'QDRANT_REPLICATION']],
  // one Qdrant replica, or one OPAL server, cannot have a budget that allows an eviction and keeps a pod
  ['QDRANT_REPLICAS', (v) => { v.qdrant.replicaCount = 1 }, 'Raft needs at least 3', 'error', ['QDRANT_PDB', 'QDRANT_REPLICATION']],
  ['OPAL_REPLICAS', (v) => { v.opal.opalServer.replicaCount = 1 }, 'at least 2', 'error', ['OPAL_PDB']],
  ['DRAGONFLY_REPLICAS', (v) => { delete v.dragonfly.replicaCount }, 'Kubernetes runs 1', 'warning'],
  ['AETERNA_PDB', (v) => { delete v.aeterna.pdb }, 'aeterna.pdb is not set', 'warning'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = 3 }, 'no pod can ever be evicted', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = 0 }, 'it protects nothing', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = '100%' }, 'no pod can ever be evicted', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.maxUnavailable = 1 }, 'sets both minAvailable and maxUnavailable', 'error'],
  ['AETERNA_PDB', (v) => { v.aeterna.pdb.minAvailable = 'two' }, 'minAvailable "two" is neither a whole number nor a percentage', 'error'],
  ['AETERNA_PDB', (v) => { delete v.aeterna.pdb.minAvailable; v.aeterna.pdb.maxUnavailable = true }, 'maxUnavailable true is neither a whole number nor a percentage', 'error'],
  ['QDRANT_PDB', (v) => { v.qdrant.pdb.enabled = false }, 'no disruption budget', 'error'],
  ['QDRANT_PDB', (v) => { v.qdrant.pdb.minAvailable = 1 }, 'below the Raft majority of 2', 'error'],
  ['OPAL_PDB', (v) => { delete v.opal.pdb }, 'opal.pdb is not set', 'warning'],
  ['POSTGRESQL_PDB', (v) => { v.postgresql.cloudnativepg.enablePDB = false }, 'no disruption budget protects the PostgreSQL primary', 'error'],
  ['AETERNA_ANTI_AFFINITY', (v) => {
    v.aeterna.affinity.podAntiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: v.aeterna.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0] }] }
  }, 'only preferred terms', 'error'],
  ['AETERNA_ANTI_AFFINITY', (v) => { v.aeterna.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values = ['qdrant'] }, 'selects Aeterna\'s own pods', 'error'],
  ['AETERNA_ANTI_AFFINITY', (v) => { v.aeterna.affinity.podAntiAffinity = {} }, 'no anti-affinity term', 'error'],
  ['QDRANT_ANTI_AFFINITY', (v) => { v.qdrant.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey = 'topology.kubernetes.io/region' }, 'keys on kubernetes.io/hostname or topology.kubernetes.io/zone', 'error'],
  ['QDRANT_ANTI_AFFINITY', (v) => { delete v.qdrant.affinity }, 'is not set', 'warning'],
  ['OPAL_ANTI_AFFINITY', (v) => { v.opal.opalServer.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution = [] }, 'no anti-affinity term', 'warning'],
  ['OPAL_ANTI_AFFINITY', (v) => { v.opal.opalServer.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey = 'topology.kubernetes.io/region' }, 'no term both keys on kubernetes.io/hostname', 'warning'],
  ['DRAGONFLY_ANTI_AFFINITY', (v) => { delete v.dragonfly.affinity }, 'is not set', 'warning'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.topologySpreadConstraints = [v.aeterna.topologySpreadConstraints[1]] }, 'a zone failure can take every replica', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.topologySpreadConstraints[0].whenUnsatisfiable = 'ScheduleAnyway' }, 'ScheduleAnyway lets every replica land in one zone', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.topologySpreadConstraints[0].maxSkew = 5 }, 'maxSkew is 5', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.topologySpreadConstraints[0].labelSelector.matchLabels['app.kubernetes.io/name'] = 'other' }, 'does not select app.kubernetes.io/name=aeterna', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { delete v.aeterna.topologySpreadConstraints }, 'is not set', 'warning'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.topologySpreadConstraints = 'zone' }, 'a zone failure can take every replica', 'error'],
  // seed 002's form: inside affinity, where Kubernetes has no such field
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.affinity.podTopologySpread = v.aeterna.topologySpreadConstraints; delete v.aeterna.topologySpreadConstraints }, 'is not a Kubernetes field', 'error'],
  ['AETERNA_TOPOLOGY_SPREAD', (v) => { v.aeterna.affinity.podTopologySpread = v.aeterna.topologySpreadConstraints }, 'which this document also sets', 'warning'],
  ['AUTOSCALING', (v) => { delete v.autoscaling }, 'autoscaling (or aeterna.autoscaling) is not set', 'warning'],
  ['AUTOSCALING', (v) => { v.autoscaling.minReplicas = 2 }, 'could scale below the 3 replicas', 'error'],
  ['AUTOSCALING', (v) => { v.autoscaling.enabled = false }, 'no HPA', 'error'],
  ['AUTOSCALING', (v) => { v.autoscaling.maxReplicas = 2 }, 'at least minReplicas (3)', 'error'],
  ['AUTOSCALING', (v) => { v.autoscaling.minReplicas = 'few' }, 'autoscaling.minReplicas is "few"', 'error'],
  ['AUTOSCALING', (v) => { v.autoscaling.maxReplicas = 'lots' }, 'autoscaling.maxReplicas is "lots"', 'error'],
  ['POSTGRESQL_BACKUP', (v) => { delete v.postgresql.cloudnativepg.backup }, 'is not set', 'warning'],
  ['POSTGRESQL_BACKUP', (v) => { v.postgresql.cloudnativepg.backup.enabled = false }, 'Backups are disabled', 'error'],
  ['POSTGRESQL_BACKUP', (v) => { delete v.postgresql.cloudnativepg.backup.schedule }, 'have no schedule', 'error'],
  ['POSTGRESQL_BACKUP', (v) => { v.postgresql.cloudnativepg.backup.schedule = 'daily' }, 'is not a cron expression', 'error'],
  ['REPLICATED_STORAGE', (v) => { v.qdrant.persistence.storageClass = 'gp3' }, 'qdrant.persistence.storageClass = "gp3"', 'warning'],
  ['REPLICATED_STORAGE', (v) => { delete v.postgresql.cloudnativepg.storage.storageClass }, 'is not set', 'warning'],
  ['MONITORING', (v) => { v.postgresql.cloudnativepg.monitoring.enabled = false }, 'no metrics for the replication-lag and failover alerts', 'error'],
  ['QDRANT_CLUSTER_MODE', (v) => { v.qdrant.config.cluster.enabled = false }, 'nothing is replicated between them', 'error'],
  ['COMPONENTS_ENABLED', (v) => { v.qdrant.enabled = false }, 'qdrant.enabled is false', 'error'],
  ['COMPONENTS_ENABLED', (v) => { v.postgresql.cloudnativepg.enabled = false }, 'postgresql.cloudnativepg.enabled is false', 'error'],
  ['COMPONENTS_ENABLED', (v) => { delete v.dragonfly.enabled }, 'dragonfly.enabled is not set', 'warning'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.synchronous_commit = 'off' }, 'a failover can lose it', 'error'],
  // 3 instances: 2 standbys, so a commit may wait for 1
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.number = 2 }, 'one standby down stalls all writes', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.number = 3 }, 'webhook rejects it ("the number of synchronous replicas must be less than', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.number = 0 }, 'needs a whole number of at least 1', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.method = 'quorum' }, 'takes any (quorum) or first (priority)', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.dataDurability = 'maybe' }, 'takes required or preferred', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { Object.assign(v.postgresql.cloudnativepg.postgresql.synchronous, { dataDurability: 'preferred', standbyNamesPre: ['external'] }) }, 'dataDurability preferred cannot name standbys', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { delete v.postgresql.cloudnativepg.postgresql }, 'is not set', 'warning'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous = null }, 'synchronous is not set', 'warning'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { v.postgresql.cloudnativepg.minSyncReplicas = 1 }, 'cannot be set with the synchronous stanza', 'error'],
  ['POSTGRESQL_SYNC_REPLICATION', (v) => { delete v.postgresql.cloudnativepg.postgresql.synchronous; v.postgresql.cloudnativepg.maxSyncReplicas = 1 }, 'deprecated since CloudNativePG 1.24', 'warning'],
  // seed 002's own setting: a key CloudNativePG does not read there, and a parameter it manages itself
  ['POSTGRESQL_PARAMETERS', (v) => { delete v.postgresql.cloudnativepg.postgresql.synchronous; v.postgresql.cloudnativepg.postgresql.synchronous_standby_names = 'ANY 2 (standby1, standby2)' }, 'is not a field of CloudNativePG\'s spec.postgresql', 'error', ['POSTGRESQL_SYNC_REPLICATION']],
  ['POSTGRESQL_PARAMETERS', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.synchronous_standby_names = 'ANY 1 (a, b)' }, 'CloudNativePG manages synchronous_standby_names itself', 'error'],
  ['POSTGRESQL_PARAMETERS', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.port = '5433' }, 'CloudNativePG manages port itself', 'error'],
  ['POSTGRESQL_PARAMETERS', (v) => { v.postgresql.cloudnativepg.postgresql.work_mem = '64MB' }, 'A PostgreSQL parameter goes under parameters', 'error'],
  // a misspelt parameter: PostgreSQL would not start
  ['POSTGRESQL_PARAMETERS', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.shared_bufers = '1GB' }, 'PostgreSQL has no parameter shared_bufers (PostgreSQL\'s GUC table, src/backend/utils/misc/guc_parameters.dat at postgres/postgres 011bbdb4); it refuses to start with an unrecognized parameter in its configuration. Did you mean shared_buffers?', 'error'],
  ['POSTGRESQL_PARAMETERS', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.frobnicate_level = '3' }, 'PostgreSQL has no parameter frobnicate_level', 'error'],
  ['QDRANT_REPLICATION', (v) => { v.qdrant.config.storage.collection.replication_factor = 1; v.qdrant.config.storage.collection.write_consistency_factor = 1 }, 'the loss of the node holding it can take every copy', 'error'],
  ['QDRANT_REPLICATION', (v) => { delete v.qdrant.config.storage }, 'replication_factor is not set', 'warning'],
  ['QDRANT_REPLICATION', (v) => { v.qdrant.config.storage.collection.write_consistency_factor = 3 }, 'Writes wait for 3 of 3 copies', 'error'],
  ['QDRANT_REPLICATION', (v) => { v.qdrant.config.storage.collection.replication_factor = 5 }, 'above the 3 peers', 'warning'],
  ['QDRANT_REPLICATION', (v) => { v.qdrant.config.storage.collection.replication_factor = 'two' }, 'is not a whole number of at least 1', 'error'],
  ['QDRANT_REPLICATION', (v) => { v.qdrant.config.storage.collection.write_consistency_factor = 0 }, 'write_consistency_factor 0 is not a whole number', 'error'],
  // the HPA may run more pods than the 5 nodes hold one per node
  ['SCHEDULING', (v) => { v.autoscaling.maxReplicas = 8 }, '8 pods at the HPA\'s maxReplicas but its required anti-affinity (one per node) places at most 5', 'error'],
  ['SCHEDULING', (v) => { v.aeterna.replicaCount = 6; v.autoscaling.minReplicas = 6; v.autoscaling.maxReplicas = 6 }, '6 pods but its required anti-affinity (one per node) places at most 5 on 5 nodes in 3 zones: 1 stay Pending', 'error'],
  // one Qdrant pod per zone: 3 zones hold 3, but a drain of the only node of a zone leaves 2
  ['SCHEDULING', (v) => { v.qdrant.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey = 'topology.kubernetes.io/zone' }, 'the drained pod stays Pending until the node returns', 'warning'],
  ['AUTOSCALER_CONFLICT', (v) => { v.aeterna.autoscaling = { vpa: { enabled: true, updateMode: 'Recreate' } } }, 'they fight', 'error'],
  ['AUTOSCALER_CONFLICT', (v) => { v.aeterna.autoscaling = { vpa: { enabled: true, updateMode: 'Auto', controlledResources: [] } } }, 'deprecated since VPA 1.5.0', 'warning'],
  ['UNKNOWN_KEYS', (v) => { v.aeterna.replicas = 3 }, 'aeterna.replicas is not read by the chart: ignored', 'warning'],
  ['UNKNOWN_KEYS', (v) => { Object.defineProperty(v, 'constructor', { value: {}, enumerable: true }) }, 'constructor is not read by the chart', 'warning'],
  ['AETERNA_ANTI_AFFINITY', (v) => { v.aeterna.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions.push({ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['aeterna'] }) }, 'selects Aeterna\'s own pods', 'error'],
  ['QDRANT_ANTI_AFFINITY', (v) => { v.qdrant.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector = { matchLabels: { 'app.kubernetes.io/name': 'qdrant', tier: 'db' } } }, 'selects Qdrant\'s own pods', 'error'],
  ['REPLICATED_STORAGE', (v) => { v.qdrant.persistence.storageClass = 'not-replicated' }, 'nothing says this class replicates', 'warning'],
  ['POSTGRESQL_BACKUP', (v) => { v.postgresql.cloudnativepg.backup.schedule = '0 25 * * *' }, 'is not a cron expression', 'error'],
  ['AETERNA_RESOURCES', (v) => { v.aeterna.resources.requests.cpu = '100m' }, 'requests.cpu 0.1 < 0.5 cores', 'error'],
  ['POSTGRESQL_RESOURCES', (v) => { v.postgresql.cloudnativepg.resources.limits.memory = '1Gi' }, 'limits.memory 1 < 3 GiB', 'error'],
  ['QDRANT_RESOURCES', (v) => { delete v.qdrant.resources }, 'is not set', 'warning'],
  ['DRAGONFLY_RESOURCES', (v) => { v.dragonfly.resources.requests.memory = 'lots' }, 'requests.memory 0 < 0.5 GiB', 'error'],
  ['OPAL_RESOURCES', (v) => { v.opal.opalServer.resources.limits.cpu = '500m' }, 'limits.cpu 0.5 < 1 cores', 'error']
]

const escape = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))

t.test('each rule broken one at a time, in both modes, and the fix mends it', async (t) => {
  for (const [id, breakRule, message, lenientSeverity, alsoFailing = []] of breaks) {
    const values = complete()
    breakRule(values)
    for (const mode of ['lenient', 'strict'] as const) {
      const found = problems(values, mode)
      t.same([...new Set(found.map((f) => f.id))], [id, ...alsoFailing], `${id} (${message}), ${mode}: only that check fails`)
      t.match(found[0], { severity: mode === 'strict' ? 'error' : lenientSeverity, message: escape(message) }, `${id}, ${mode}`)
      if (alsoFailing.length === 0) t.equal(validateAeterna(values, 50_000, mode).ok, mode === 'lenient' && lenientSeverity === 'warning', `${id}, ${mode}: ok follows the severity`)
    }
    const [first] = problems(values)
    t.not(first.fix, '', `${id}: a fix`)
    const mended = mergeValues(values, parse(first.fix))
    t.notOk(problems(mended).some((f) => f.id === id && f.path === first.path), `${id}: its fix mends it`)
  }
})

t.test('valid alternative forms are accepted', async (t) => {
  const alternatives: Array<[string, (values: Record<string, any>) => void]> = [
    ['minAvailable as a percentage (50% of 3, rounded up: 2)', (v) => { v.aeterna.pdb.minAvailable = '50%' }],
    ['maxUnavailable instead of minAvailable', (v) => { delete v.aeterna.pdb.minAvailable; v.aeterna.pdb.maxUnavailable = 1 }],
    ['maxUnavailable as a percentage (33% of 3, rounded up: 1)', (v) => { delete v.qdrant.pdb.minAvailable; v.qdrant.pdb.maxUnavailable = '33%' }],
    ['a quoted replica count', (v) => { v.aeterna.replicaCount = '3' }],
    ['synchronous method first', (v) => { v.postgresql.cloudnativepg.postgresql.synchronous.method = 'first' }],
    ['dataDurability preferred: a commit never stalls, even waiting for every standby', (v) => { Object.assign(v.postgresql.cloudnativepg.postgresql.synchronous, { number: 2, dataDurability: 'preferred' }) }],
    ['dataDurability left to CloudNativePG\'s default (required)', (v) => { delete v.postgresql.cloudnativepg.postgresql.synchronous.dataDurability }],
    ['remote_apply', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.synchronous_commit = 'remote_apply' }],
    ['a parameter CloudNativePG lets you set', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.work_mem = '64MB' }],
    ['a parameter in another case (PostgreSQL reads names case-insensitively)', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.DateStyle = 'ISO, DMY' }],
    ['an extension\'s parameter', (v) => { v.postgresql.cloudnativepg.postgresql.parameters['pg_stat_statements.max'] = '10000' }],
    ['Qdrant replicated twice (enough for 3 peers in 3 zones)', (v) => { v.qdrant.config.storage.collection = { replication_factor: 2, write_consistency_factor: 1 } }],
    ['write_consistency_factor left to Qdrant\'s default (1)', (v) => { delete v.qdrant.config.storage.collection.write_consistency_factor }],
    ['a VPA for recommendations only (Off)', (v) => { v.aeterna.autoscaling = { vpa: { enabled: true, updateMode: 'Off' } } }],
    ['a VPA on memory while the HPA scales on CPU', (v) => { delete v.autoscaling.targetMemoryUtilizationPercentage; v.aeterna.autoscaling = { vpa: { enabled: true, updateMode: 'InPlaceOrRecreate', controlledResources: ['memory'] } } }],
    ['a disabled VPA', (v) => { v.aeterna.autoscaling = { vpa: { enabled: false } } }],
    ['a six-field cron (CloudNativePG)', (v) => { v.postgresql.cloudnativepg.backup.schedule = '0 0 2 * * *' }],
    ['aeterna.autoscaling', (v) => { v.aeterna.autoscaling = v.autoscaling; delete v.autoscaling }],
    ['required anti-affinity where preferred is enough', (v) => { v.dragonfly.affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [v.dragonfly.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm] } }],
    ['a matchLabels selector', (v) => { v.qdrant.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector = { matchLabels: { 'app.kubernetes.io/name': 'qdrant' } } }],
    ['enablePDB left to CloudNativePG\'s default', (v) => { delete v.postgresql.cloudnativepg.enablePDB }],
    ['a regional storage class', (v) => { v.qdrant.persistence.storageClass = 'regional-pd-ssd' }],
    ['Azure zone-redundant storage', (v) => { v.qdrant.persistence.storageClass = 'managed-csi-premium-zrs' }],
    ['a quoted PDB count', (v) => { v.aeterna.pdb.minAvailable = '2' }],
    ['a quoted HPA minimum', (v) => { v.autoscaling.minReplicas = '3' }],
    ['synchronous_commit left to PostgreSQL\'s default (on)', (v) => { delete v.postgresql.cloudnativepg.postgresql.parameters.synchronous_commit }],
    ['synchronous_commit true', (v) => { v.postgresql.cloudnativepg.postgresql.parameters.synchronous_commit = true }],
    ['a cron macro', (v) => { v.postgresql.cloudnativepg.backup.schedule = '@daily' }],
    ['a key set to null (Helm deletes it)', (v) => { v.aeterna.podAnnotations = null }]
  ]
  for (const [name, change] of alternatives) {
    const values = complete()
    change(values)
    t.same(problems(values, 'strict').map((f) => `${f.id}: ${f.message}`), [], name)
  }
})

t.test('PodDisruptionBudgets resolved as Kubernetes does', async (t) => {
  t.same([scaledIntOrPercent(2, 3), scaledIntOrPercent('50%', 3), scaledIntOrPercent('34%', 3), scaledIntOrPercent('100%', 5), scaledIntOrPercent('x', 3), scaledIntOrPercent(-1, 3), scaledIntOrPercent(1.5, 3), scaledIntOrPercent(true, 3)], [2, 2, 2, 5, undefined, undefined, undefined, undefined])
  t.same(disruptionBudget({ minAvailable: 2 }, 3), { desiredHealthy: 2, allowedDisruptions: 1 })
  t.same(disruptionBudget({ maxUnavailable: 1 }, 3), { desiredHealthy: 2, allowedDisruptions: 1 })
  t.same(disruptionBudget({ maxUnavailable: '34%' }, 3), { desiredHealthy: 1, allowedDisruptions: 2 }, '34% of 3 rounds up to 2 unavailable')
  t.same(disruptionBudget({ maxUnavailable: 5 }, 3), { desiredHealthy: 0, allowedDisruptions: 3 })
  t.same(disruptionBudget({ minAvailable: 5 }, 3), { desiredHealthy: 5, allowedDisruptions: 0 })
  t.match(disruptionBudget({}, 3), /neither/)
})

t.test('values a document cannot hold, and Helm\'s null', async (t) => {
  const noInstances = complete()
  delete noInstances.postgresql.cloudnativepg.instances
  t.same(problems(noInstances).map((f) => f.id), ['POSTGRESQL_INSTANCES'], 'without an instance count the seed\'s 3 is assumed for replication')
  const huge = complete()
  huge.aeterna.replicaCount = 3e9
  t.match(problems(huge)[0], { id: 'AETERNA_REPLICAS', message: /is 3000000000: not a whole number of replicas/ })
  const nulled = complete()
  nulled.aeterna.pdb = null
  t.match(problems(nulled), [{ id: 'AETERNA_PDB', status: 'absent' }], 'null deletes the key: absent, not wrong')
})

t.test('the fix for a Raft budget keeps the majority of the replicas there are', async (t) => {
  const large = tierWithHa('large').values as Record<string, any>
  large.qdrant.pdb.minAvailable = 1
  const [finding] = problems(large, 'lenient', 500_000)
  t.match(finding, { id: 'QDRANT_PDB', message: /below the Raft majority of 3/ })
  t.same(parse(finding.fix), { qdrant: { pdb: { enabled: true, minAvailable: 3 } } })
  t.same(problems(mergeValues(large, parse(finding.fix)), 'lenient', 500_000), [])
})

t.test('synchronous_standby_names as PostgreSQL reads it', async (t) => {
  t.same(parseStandbyNames('ANY 2 (standby1, standby2)'), { method: 'ANY', count: 2, names: ['standby1', 'standby2'] })
  t.same(parseStandbyNames('first 1 ("s1", s2)'), { method: 'FIRST', count: 1, names: ['s1', 's2'] })
  t.same(parseStandbyNames('2 (a, b, c)'), { method: 'FIRST', count: 2, names: ['a', 'b', 'c'] })
  t.same(parseStandbyNames('a, b'), { method: 'FIRST', count: 1, names: ['a', 'b'] })
  t.same(parseStandbyNames('ANY 2 ("a,b", c, d)'), { method: 'ANY', count: 2, names: ['a,b', 'c', 'd'] }, 'a quoted name may hold a comma')
  t.same(parseStandbyNames('ANY 1 (a, a)'), { method: 'ANY', count: 1, names: ['a'] }, 'duplicates count once')
  t.equal(parseStandbyNames('ANY x (a)'), undefined)
  t.equal(parseStandbyNames(' , '), undefined)
  // 5 instances (4 standbys): waiting for 3 survives one standby's loss, for 4 it does not
  const five = (number: number) => { const v = complete(); v.postgresql.cloudnativepg.instances = 5; v.postgresql.cloudnativepg.postgresql.synchronous.number = number; return problems(v).map((f) => f.id) }
  t.same(five(2), [], 'seed 002\'s 2 with 5 instances')
  t.same(five(3), [])
  t.same(five(4), ['POSTGRESQL_SYNC_REPLICATION'])
  // what seed 002's own line would do, said where a document carries it
  const legacy = (instances: number, names: string) => {
    const v = complete()
    v.postgresql.cloudnativepg.instances = instances
    delete v.postgresql.cloudnativepg.postgresql.synchronous
    v.postgresql.cloudnativepg.postgresql.parameters.synchronous_standby_names = names
    return problems(v).find((f) => f.id === 'POSTGRESQL_SYNC_REPLICATION')
  }
  const seedLine = legacy(3, 'ANY 2 (standby1, standby2)')
  t.match(seedLine?.message, 'Its names (standby1, standby2) match no CloudNativePG instance (they are <cluster>-1 to <cluster>-3), and ANY 2 with 2 standby(s) would make every commit wait for every standby')
  t.match(seedLine?.message, 'SEED_INCONSISTENCY')
  t.same(parse(seedLine!.fix), { postgresql: { cloudnativepg: { postgresql: { synchronous: { method: 'any', number: 1, dataDurability: 'required' } } } } })
  t.match(legacy(5, 'FIRST 1 (a, b)')?.message, 'FIRST 1 with 4 standby(s) would wait for 1 of them')
  t.match(legacy(3, 'ANY (a')?.message, /^synchronous_standby_names "ANY \(a" is a parameter CloudNativePG manages itself/)
  t.match(legacy(3, 'ANY 1 (*)')?.message, 'ANY 1 with 2 standby(s) would wait for 1 of them. CloudNativePG')
})

t.test('seed 002\'s merged example as written', async (t) => {
  const result = validateAeterna(fixture('seed-002-merged.yaml'), 50_000, 'lenient')
  const failed = result.findings.filter((f) => f.status === 'fail' || f.status === 'absent')
  t.same(failed.map((f) => `${f.id} ${f.path}`), [
    'AETERNA_TOPOLOGY_SPREAD aeterna.topologySpreadConstraints', // affinity.podTopologySpread is not a Kubernetes field
    'QDRANT_REPLICATION qdrant.config.storage.collection', // persistence.replicas: 3 replicates nothing
    'POSTGRESQL_PARAMETERS postgresql.cloudnativepg.postgresql.synchronous_commit',
    'POSTGRESQL_PARAMETERS postgresql.cloudnativepg.postgresql.synchronous_standby_names',
    'POSTGRESQL_SYNC_REPLICATION postgresql.cloudnativepg.postgresql.synchronous',
    'SCHEDULING autoscaling.maxReplicas', // maxReplicas 10, one pod per node, on the medium plan's 5 nodes
    'SCHEDULING qdrant.replicaCount', // one Qdrant pod per zone: a drain leaves one Pending
    'HPA_BEHAVIOR autoscaling.behavior',
    'UNKNOWN_KEYS resources', 'UNKNOWN_KEYS qdrant.persistence.replicas',
    'AETERNA_RESOURCES aeterna.resources', 'POSTGRESQL_RESOURCES postgresql.cloudnativepg.resources', 'QDRANT_RESOURCES qdrant.resources', 'DRAGONFLY_RESOURCES dragonfly.resources', 'OPAL_RESOURCES opal.opalServer.resources'
  ])
  t.equal(result.ok, false, 'CloudNativePG rejects its synchronous_standby_names')
  const sync = failed.find((f) => f.id === 'POSTGRESQL_SYNC_REPLICATION')!
  t.match(sync.message, /SEED_INCONSISTENCY/)
  t.match(sync.message, 'its webhook rejects it')
  const resources = failed.find((f) => f.path === 'resources')!
  t.match(resources.message, /belongs under aeterna\.resources/)
  t.same(parse(resources.fix), { resources: null, aeterna: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } } } })
  t.match(failed.find((f) => f.id === 'AETERNA_RESOURCES'), { status: 'absent', message: /A top-level `resources` block is present/ })
  t.notOk(result.findings.some((f) => /requests\.cpu 0 </.test(f.message)), 'no "requests.cpu 0" for fields that are absent')
  t.same(validateAeterna(fixture('seed-002-merged.yaml'), 50_000).summary, { errors: 14, warnings: 1, passed: 28, notAssessable: 5 }, 'strict: only the advisory HPA behaviour stays a warning')
})

t.test('a document whose shape the chart cannot read', async (t) => {
  t.equal(layoutTypeError(complete()), undefined)
  t.equal(layoutTypeError({ aeterna: 5 }), 'body/aeterna must be a mapping (the chart reads replicaCount, resources, affinity, topologySpreadConstraints, pdb, autoscaling under it), not 5')
  t.equal(layoutTypeError({ postgresql: { cloudnativepg: { storage: 'big' } } }), 'body/postgresql/cloudnativepg/storage must be a mapping (the chart reads size, storageClass under it), not "big"')
  t.equal(layoutTypeError({ aeterna: null, other: 5, qdrant: { config: { anything: 1 } } }), undefined, 'null deletes; unknown keys are findings, not shape errors')
  t.equal(layoutTypeError({ qdrant: { resources: 7 } }), 'body/qdrant/resources must be a mapping, not 7')
  t.equal(layoutTypeError({ aeterna: { affinity: 5 } }), 'body/aeterna/affinity must be a mapping, not 5')
  t.equal(layoutTypeError({ aeterna: { affinity: { podTopologySpread: { maxSkew: 1 } } } }), 'body/aeterna/affinity/podTopologySpread must be a list, not {"maxSkew":1}')
  t.equal(layoutTypeError({ aeterna: { affinity: { podAntiAffinity: 'yes' } } }), 'body/aeterna/affinity/podAntiAffinity must be a mapping, not "yes"')
  t.equal(layoutTypeError({ qdrant: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: 5 } } } }), 'body/qdrant/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution must be a list, not 5')
  t.equal(layoutTypeError({ postgresql: { cloudnativepg: { postgresql: [1, 2] } } }), 'body/postgresql/cloudnativepg/postgresql must be a mapping, not [1,2]')
  t.equal(layoutTypeError({ toString: 5, aeterna: { affinity: { podAntiAffinity: null } } }), undefined, 'keys named like object properties are unknown keys, not layout')
  t.equal(layoutTypeError([1]), undefined)
})

t.test('keys the chart does not read', async (t) => {
  t.same(unknownPaths({ aeterna: { replicaCount: 3, replicas: 3, resources: { anything: 1 } }, ingress: {} }), [['aeterna', 'replicas'], ['ingress']])
  t.same(unknownPaths(tierValues('large')), [], 'the tier files are the layout')
  t.same(unknownPaths(complete()), [])
  t.ok(selects({ matchLabels: { 'app.kubernetes.io/name': 'aeterna' } }, 'aeterna'))
  t.notOk(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['aeterna'] }] }, 'aeterna'))
  t.notOk(selects(undefined, 'aeterna'))
  t.ok(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'Exists' }, { key: 'tier', operator: 'DoesNotExist' }] }, 'aeterna'))
  t.notOk(selects({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, 'aeterna'))
  t.notOk(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'DoesNotExist' }] }, 'aeterna'))
  t.notOk(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'Matches' }] }, 'aeterna'))
  t.notOk(selects({}, 'aeterna'), 'an empty selector is not the component\'s own')
})

t.test('resources are checked against the tier the memory count needs', async (t) => {
  const result = validateAeterna(tierValues('medium'), 500_000)
  t.equal(result.tier, 'large')
  t.equal(result.tierBasis, 'memoryCount')
  t.equal(result.ok, false)
  t.same(result.findings.filter((f) => f.status === 'fail').map((f) => f.id), ['AETERNA_RESOURCES', 'POSTGRESQL_RESOURCES', 'QDRANT_RESOURCES', 'DRAGONFLY_RESOURCES', 'OPAL_RESOURCES'])
  t.equal(validateAeterna(tierValues('large'), 500, 'lenient').ok, true, 'more than a tier needs is fine')
  t.equal(tierOfDocument({}), 'small')
  t.equal(tierOfDocument(tierValues('large')), 'large')
})

t.test('the HA overlay lists what it changes', async (t) => {
  const { changes, text } = tierWithHa('medium')
  t.ok(changes.some((c) => c.path === 'postgresql.cloudnativepg.postgresql.synchronous.number' && !('from' in c) && c.to === 1 && /SEED_INCONSISTENCY/.test(c.reason) && /its webhook rejects it/.test(c.reason)))
  t.notOk(changes.some((c) => /synchronous_standby_names/.test(c.path)), 'CloudNativePG manages synchronous_standby_names: never set')
  t.ok(changes.some((c) => c.path === 'autoscaling.maxReplicas' && c.to === 5 && /stay Pending/.test(c.reason)), 'seed 000\'s 8 capped at the 5 nodes')
  t.ok(changes.some((c) => c.path === 'qdrant.config.storage.collection.replication_factor' && c.to === 3))
  t.ok(changes.some((c) => c.path === 'qdrant.pdb.minAvailable' && c.to === 2))
  t.notOk(changes.some((c) => c.path.startsWith('aeterna.resources')), 'the tier\'s resources stay')
  t.match(text, 'synchronous_commit: "on"', 'quoted: Helm reads YAML 1.1, where on is true')
  t.same(valuesChanges({ a: { b: 1, c: [1] } }, { a: { b: 2, c: [1] }, d: 3 }, () => 'why'), [{ path: 'a.b', from: 1, to: 2, reason: 'why' }, { path: 'd', to: 3, reason: 'why' }])
  t.same(mergeValues({ a: { b: 1, l: [1, 2] } }, { a: { c: 2, l: [3] } }), { a: { b: 1, l: [3], c: 2 } }, 'mappings merge, lists are replaced')
  t.same(valuesChanges({ a: { b: 1 }, c: 2 }, { c: 2 }, () => 'removed'), [{ path: 'a.b', from: 1, reason: 'removed' }], 'a removed mapping, leaf by leaf')
})

t.test('the alert rules of seed 002, with the one that does not measure IOPS flagged', async (t) => {
  t.same(HA_ALERT_RULES.map((rule) => rule.alert), ['AeternaPodsBelowMinReplicas', 'PostgreSQLNotReplicating', 'QdrantClusterDegraded', 'StorageIOPSThrottled'])
  t.match(HA_ALERT_RULES[3].note, /SEED_INCONSISTENCY/)
})

t.test('what the scheduler, Qdrant and the autoscalers make of less common documents', async (t) => {
  const ids = (values: Record<string, unknown>, memoryCount = 50_000, mode: ValidationMode = 'strict') => validateAeterna(values, memoryCount, mode).findings.filter((f) => !f.passed && f.status !== 'not assessable')
  // Qdrant one pod per zone with 5 replicas on 3 zones: 2 stay Pending; the budget keeps 2 of the 3 running, so one eviction is allowed
  const zoned = tierWithHa('large').values as Record<string, any>
  zoned.qdrant.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey = 'topology.kubernetes.io/zone'
  zoned.qdrant.pdb.minAvailable = 2
  const zonedFindings = validateAeterna(zoned, 500_000)
  t.match(zonedFindings.findings.find((f) => f.id === 'QDRANT_PDB'), { status: 'fail', found: '2 of 5 kept, 1 eviction(s) allowed (3 can run on 10 nodes in 3 zones)', message: /below the Raft majority of 3/ })
  // the issue's case: seed 002's rule with the large tier's 5 replicas and the Raft majority kept: no eviction, drains stall
  zoned.qdrant.pdb.minAvailable = 3
  t.match(validateAeterna(zoned, 500_000).findings.find((f) => f.id === 'QDRANT_PDB'), { found: '3 of 5 kept, 0 eviction(s) allowed (3 can run on 10 nodes in 3 zones)', message: 'Qdrant: only 3 of 5 replicas can be scheduled under its required anti-affinity on 10 nodes in 3 zones, and the budget keeps 3: no pod can be evicted, so node drains and cluster upgrades stall.' })
  const pending = zonedFindings.findings.find((f) => f.id === 'SCHEDULING' && f.path === 'qdrant.replicaCount')!
  t.match(pending, { status: 'fail', message: /qdrant: 5 pods but its required anti-affinity \(one per zone\) places at most 3 on 10 nodes in 3 zones: 2 stay Pending\. Fix: run 5 zones, or require one pod per node/ })
  t.match(parse(pending.fix), { qdrant: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } }, topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }] } })
  // one pod per node, more replicas than nodes and no HPA: the fix is the count that fits
  const crowded = complete()
  crowded.opal.opalServer.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'opal-server' } }, topologyKey: 'kubernetes.io/hostname' }] } }
  crowded.opal.opalServer.replicaCount = 7
  t.same(parse(ids(crowded).find((f) => f.id === 'SCHEDULING')!.fix), { opal: { opalServer: { replicaCount: 5 } } })
  // Qdrant: 2 copies over 5 peers, up to 2 a zone: a zone can take both
  const twoCopies = tierWithHa('large').values as Record<string, any>
  twoCopies.qdrant.config.storage.collection.replication_factor = 2
  t.match(ids(twoCopies, 500_000), [{ id: 'QDRANT_REPLICATION', message: /2 copies of each shard: the loss of a zone \(up to 2 peers\) can take every copy/ }])
  // 7 peers, up to 3 a zone: seed 002's 3 copies survive a node, not surely a zone (advice); writes may wait for 2 at most
  const seven = tierWithHa('large').values as Record<string, any>
  seven.qdrant.replicaCount = 7
  seven.qdrant.pdb.minAvailable = 4
  const advice = validateAeterna(seven, 500_000).findings.find((f) => f.id === 'QDRANT_REPLICATION')!
  t.match(advice, { status: 'fail', severity: 'warning', message: /Qdrant does not place copies by zone, so a zone loss can take all 3 copies/ })
  seven.qdrant.config.storage.collection.write_consistency_factor = 3
  t.match(validateAeterna(seven, 500_000).findings.find((f) => f.id === 'QDRANT_REPLICATION'), { severity: 'error', message: /Writes wait for 3 of 3 copies: when a node takes one of them/ })
  // CloudNativePG: a managed parameter beside the fields, and a legacy line that is not a string
  const port = complete()
  port.postgresql.cloudnativepg.postgresql.port = 5433
  t.match(ids(port), [{ id: 'POSTGRESQL_PARAMETERS', message: /Under parameters it would be rejected too: CloudNativePG manages port itself\.$/ }])
  const listed = complete()
  delete listed.postgresql.cloudnativepg.postgresql.synchronous
  listed.postgresql.cloudnativepg.postgresql.parameters.synchronous_standby_names = ['a']
  t.match(ids(listed).find((f) => f.id === 'POSTGRESQL_SYNC_REPLICATION'), { message: 'synchronous_standby_names ["a"] is a parameter CloudNativePG manages itself: its webhook rejects it.' })
  // a VPA without an HPA: only its mode; its mode under updatePolicy; Auto beside an HPA on the same resource
  const vpaOnly = complete()
  delete vpaOnly.autoscaling
  vpaOnly.aeterna.autoscaling = { vpa: { enabled: true } }
  t.match(validateAeterna(vpaOnly, 50_000).findings.filter((f) => f.id === 'AUTOSCALER_CONFLICT'), [{ found: 'VPA updateMode not set, controls ["cpu","memory"]; HPA targets []', message: /not set \(the chart's default, Auto upstream\)/, fix: 'aeterna:\n  autoscaling:\n    vpa:\n      updateMode: InPlaceOrRecreate\n' }])
  const policy = complete()
  policy.vpa = { updatePolicy: { updateMode: 'Off' } }
  t.match(validateAeterna(policy, 50_000).findings.find((f) => f.id === 'AUTOSCALER_CONFLICT'), { passed: true, message: 'The VPA (Off) and the HPA act on different resources.' })
  const both = complete()
  both.aeterna.autoscaling = { vpa: { enabled: true, updateMode: 'Auto' } }
  t.same(validateAeterna(both, 50_000).findings.filter((f) => f.id === 'AUTOSCALER_CONFLICT').map((f) => [f.path, f.fix]), [
    ['aeterna.autoscaling.vpa', 'aeterna:\n  autoscaling:\n    vpa:\n      updateMode: "Off"\n'],
    ['aeterna.autoscaling.vpa.updateMode', 'aeterna:\n  autoscaling:\n    vpa:\n      updateMode: "Off"\n']
  ], 'the same resource: recommendations only, not InPlaceOrRecreate; "Off" quoted, since YAML 1.1 (Helm) reads a bare Off as false')
  // the HPA's behaviour left to Kubernetes: advice in both modes, with the defaults written out
  const implicit = complete()
  delete implicit.autoscaling.behavior
  for (const mode of ['strict', 'lenient'] as const) {
    const result = validateAeterna(implicit, 50_000, mode)
    t.equal(result.ok, true, `${mode}: advice does not fail the gate`)
    t.match(result.findings.find((f) => f.id === 'HPA_BEHAVIOR'), { severity: 'warning', status: 'fail', message: /Kubernetes' defaults apply \(scale up at once/ })
  }
  t.match(parse(validateAeterna(implicit, 50_000).findings.find((f) => f.id === 'HPA_BEHAVIOR')!.fix), { autoscaling: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } })
  // an upstream file: a key no layout reads
  t.match(validateAeterna({ foo: 1 }, undefined, 'strict', {}, 'upstream-prereqs').findings.find((f) => f.id === 'UNKNOWN_KEYS'), { message: 'foo is not read by charts/aeterna-prereqs: ignored. No layout the service knows reads it.' })
})
