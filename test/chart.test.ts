// The Helm chart through a real Helm (v4, .tools/bin/helm from `node scripts/test-tools.mjs`, or
// HELM_PATH; without it every test here skips with the reason): `helm lint --strict`, `helm
// template` with the defaults and with every optional feature on, every rendered object validated
// against its Kubernetes schema (kubernetes-models, @kubernetes-models/prometheus-operator) and
// checked for unknown fields (test/chart/known-fields.ts), the objects' references to each other,
// each rule of values.schema.json and each cross-field rule of the templates broken once, and the
// Deployment against the image (the Dockerfile) and the service's own configuration and routes.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import { parse } from 'yaml'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Service } from 'kubernetes-models/v1/Service'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'
import { ConfigSchema, loadConfig } from '../src/config.js'
import { healthRoutes } from '../src/routes/health.js'
import { ErrorResponseSchema } from '../src/schemas/common.js'
import { type K8sObject, helmMissing, lint, notes, one, render, template } from './chart/helm.js'
import { KNOWN_KINDS, knownFieldChecker } from './chart/known-fields.js'
import { imageFacts } from './chart/dockerfile.js'
import { type SchemaCase, overlap, schemaCases, withCases } from './chart/schema-cases.js'
import { BAD_STRINGS, EVERYTHING } from './chart/scenarios.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const defaults = parse(read('charts/sizing-service/values.yaml')) as typeof EVERYTHING
const valuesSchema = JSON.parse(read('charts/sizing-service/values.schema.json')) as Record<string, any>
const skip = helmMissing

// ---------------------------------------------------------------------------------------------
// The renders every test below reads, started at once (Helm's calls run a few at a time).

const SCENARIOS = {
  defaults: { values: {}, kinds: ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceAccount'] },
  'every optional feature on': { values: EVERYTHING, kinds: ['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor'] },
  'autoscaling off (replicaCount)': { values: { autoscaling: { enabled: false } }, kinds: ['Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount'] },
  'one replica, no PDB, HPA, anti-affinity, spread, service account or resources': {
    values: { replicaCount: 1, autoscaling: { enabled: false }, podDisruptionBudget: { enabled: false }, antiAffinity: 'none', topologySpread: { enabled: false }, serviceAccount: { create: false }, resources: { requests: null, limits: null } },
    kinds: ['Deployment', 'Service']
  },
  'network policy with empty peer lists, ServiceMonitor, ingress without TLS': {
    values: { networkPolicy: { enabled: true }, serviceMonitor: { enabled: true }, ingress: { enabled: true }, antiAffinity: 'required', auth: { existingSecret: 'sizing-token' } },
    kinds: ['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor']
  }
} satisfies Record<string, { values: object, kinds: string[] }>
type Scenario = keyof typeof SCENARIOS

const renders = new Map<Scenario, Promise<K8sObject[]>>()
if (skip === undefined) {
  for (const name of Object.keys(SCENARIOS) as Scenario[]) {
    const promise = render(SCENARIOS[name].values)
    promise.catch(() => {}) // reported by the test that awaits it
    renders.set(name, promise)
  }
}
const rendered = async (name: Scenario): Promise<K8sObject[]> => await (renders.get(name) as Promise<K8sObject[]>)

const MODELS: Record<string, new (data: any) => { validate: () => void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor
}

let checker: ReturnType<typeof knownFieldChecker> | undefined
const unknownFields = (object: K8sObject): string[] => (checker ??= knownFieldChecker())(object)

/** Paths of every null in a rendered object (an empty `annotations:` and the like). */
function nulls (value: unknown, path: string): string[] {
  if (value === null) return [path]
  if (typeof value !== 'object') return []
  return Object.entries(value as object).flatMap(([key, child]) => nulls(child, `${path}.${key}`))
}

const subset = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value)

interface Container { name: string, ports: Array<{ name: string, containerPort: number }>, env: Array<{ name: string, value?: string, valueFrom?: any }>, [key: string]: any }
const podSpec = (objects: K8sObject[]): Record<string, any> => one(objects, 'Deployment').spec.template.spec
const container = (objects: K8sObject[]): Container => podSpec(objects).containers[0] as Container
const plainEnv = (objects: K8sObject[]): Record<string, string> =>
  Object.fromEntries(container(objects).env.filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value as string]))

/** The service's configuration from exactly these variables (the test process's environment left out). */
function serviceConfig (env: Record<string, string | undefined>): ReturnType<typeof loadConfig> {
  const none = Object.fromEntries(Object.keys(ConfigSchema.properties).map((name) => [name, undefined]))
  return loadConfig({ ...none, ...env })
}

// ---------------------------------------------------------------------------------------------

t.test('helm lint --strict passes with the defaults and with every optional feature on', { skip }, async (t) => {
  const [plain, everything] = await Promise.all([lint({}), lint(EVERYTHING)])
  for (const [name, result] of [['defaults', plain], ['everything on', everything]] as const) {
    t.equal(result.code, 0, `${name}: ${result.stdout}${result.stderr}`)
    t.match(result.stdout, '1 chart(s) linted, 0 chart(s) failed', name)
    t.notMatch(result.stdout, /\[(WARNING|ERROR)\]/, `${name}: no warning`)
  }
})

t.test('the validators themselves: kubernetes-models refuses a wrong type, the field check a misspelt key', async (t) => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 'http' }] }] } } } }
  t.throws(() => { new Deployment(deployment as never).validate() }, 'containerPort must be an integer')
  t.doesNotThrow(() => { new Deployment({ ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'c', readinessprobe: {} }] } } } } as never).validate() },
    'a misspelt field passes kubernetes-models (its schemas allow additional properties)')
  t.same(unknownFields({ ...deployment, metadata: { name: 'x', labels: { 'any/key': 'v' } }, spec: { template: { spec: { containers: [{ name: 'c', readinessprobe: {}, securityContext: { runAsNonroot: true } }] } } } } as never),
    ['Deployment.spec.template.spec.containers[0].readinessprobe', 'Deployment.spec.template.spec.containers[0].securityContext.runAsNonroot'],
    'the field check names each unknown key; map keys (labels) pass')
  t.same(unknownFields({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'x' }, spec: { selector: {}, endpoints: [{ port: 'metrics', intervall: '30s' }] } }),
    ['ServiceMonitor.spec.endpoints[0].intervall'], 'ServiceMonitor too')
  t.same(Object.keys(MODELS).sort(), [...KNOWN_KINDS].sort(), 'every kind has a model and an interface')
})

for (const name of Object.keys(SCENARIOS) as Scenario[]) {
  t.test(`helm template, ${name}: every object valid for its schema, no unknown field, no null, references resolve`, { skip }, async (t) => {
    const objects = await rendered(name)
    t.same(objects.map((object) => object.kind).sort(), SCENARIOS[name].kinds, 'the objects rendered')
    for (const object of objects) {
      const key = `${object.apiVersion}/${object.kind}`
      const Model = MODELS[key]
      if (Model === undefined) { t.fail(`${key}: no model to validate it`); continue }
      t.doesNotThrow(() => { new Model(object).validate() }, `${key} validates`)
      t.same(unknownFields(object), [], `${object.kind}: no field its schema does not declare`)
      t.same(nulls(object, object.kind), [], `${object.kind}: no null value`)
      t.match(object.metadata.name, /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, `${object.kind}: the name is a DNS label (Services need one)`)
      for (const [label, value] of Object.entries(object.metadata.labels ?? {})) {
        t.match(value, /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, `${object.kind}: label ${label} is a valid label value`)
      }
      t.equal(object.metadata.namespace, undefined, `${object.kind}: the release's namespace (none hard-coded)`)
    }
    const deployment = one(objects, 'Deployment')
    const pod = deployment.spec.template
    const podLabels = pod.metadata.labels as Record<string, string>
    const main = container(objects)
    const portNames = main.ports.map((port) => port.name)
    const service = one(objects, 'Service')
    const servicePorts = service.spec.ports as Array<{ name: string, port: number, targetPort: string }>
    t.ok(subset(deployment.spec.selector.matchLabels, podLabels), 'the Deployment selects its pods')
    t.ok(subset(service.spec.selector, podLabels), 'the Service selects the pods')
    t.same(servicePorts.map((port) => port.targetPort), portNames, 'each Service port targets a container port by name')
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) t.ok(portNames.includes(main[probe].httpGet.port), `${probe} asks a container port`)
    const hpa = objects.find((object) => object.kind === 'HorizontalPodAutoscaler')
    if (hpa !== undefined) {
      t.match(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name }, 'the HPA scales the Deployment')
      t.equal(deployment.spec.replicas, undefined, 'with an HPA, the Deployment leaves replicas to it (an upgrade would reset them)')
      t.ok(main.resources?.requests?.cpu !== undefined, 'CPU utilisation needs a CPU request')
    } else {
      t.type(deployment.spec.replicas, 'number', 'without an HPA, replicas is set')
    }
    const minReplicas = hpa?.spec.minReplicas ?? deployment.spec.replicas
    const pdb = objects.find((object) => object.kind === 'PodDisruptionBudget')
    if (pdb !== undefined) {
      t.ok(subset(pdb.spec.selector.matchLabels, podLabels), 'the PDB covers the pods')
      t.ok(pdb.spec.minAvailable < minReplicas, `the PDB leaves a pod evictable (minAvailable ${String(pdb.spec.minAvailable)} < ${String(minReplicas)} replicas)`)
    }
    const serviceAccount = objects.find((object) => object.kind === 'ServiceAccount')
    t.equal(pod.spec.serviceAccountName, serviceAccount?.metadata.name ?? 'default', 'the pods run as the chart\'s service account, or the namespace\'s default')
    const affinity = pod.spec.affinity?.podAntiAffinity
    for (const term of [...(affinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((entry: any) => entry.podAffinityTerm)]) {
      t.ok(subset(term.labelSelector.matchLabels, podLabels), 'anti-affinity is against this release\'s own pods')
    }
    for (const constraint of pod.spec.topologySpreadConstraints ?? []) t.ok(subset(constraint.labelSelector.matchLabels, podLabels), 'the spread counts this release\'s pods')
    const policy = objects.find((object) => object.kind === 'NetworkPolicy')
    if (policy !== undefined) {
      t.ok(subset(policy.spec.podSelector.matchLabels, podLabels), 'the NetworkPolicy applies to the pods')
      t.same(policy.spec.policyTypes, ['Ingress'])
      for (const rule of policy.spec.ingress) {
        t.ok(Array.isArray(rule.from) && rule.from.length > 0, 'no rule admits every source (a rule without from would)')
        for (const port of rule.ports) t.ok(portNames.includes(port.port), `the rule's port ${String(port.port)} is a container port`)
      }
    }
    const monitor = objects.find((object) => object.kind === 'ServiceMonitor')
    if (monitor !== undefined) {
      t.ok(subset(monitor.spec.selector.matchLabels, service.metadata.labels), 'the ServiceMonitor selects the Service')
      t.same(monitor.spec.endpoints.map((endpoint: any) => endpoint.port), ['metrics'], 'and scrapes its metrics port')
      t.ok(servicePorts.some((port) => port.name === 'metrics'))
    }
    const ingress = objects.find((object) => object.kind === 'Ingress')
    if (ingress !== undefined) {
      const backends = ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((path: any) => path.backend.service))
      t.ok(backends.length > 0)
      for (const backend of backends) t.same(backend, { name: service.metadata.name, port: { name: 'http' } }, 'the ingress sends to the Service\'s API port, never metrics')
    }
  })
}

t.test('every optional feature on: the values reach the objects', { skip }, async (t) => {
  const objects = await rendered('every optional feature on')
  const spec = podSpec(objects)
  const main = container(objects)
  t.equal(one(objects, 'Deployment').metadata.name, 'capacity-sizing', 'fullnameOverride')
  t.equal(main.image, `${EVERYTHING.image.repository}@${EVERYTHING.image.digest}`, 'a digest pins the image (and wins over the tag)')
  t.equal(main.imagePullPolicy, 'Always')
  t.same(spec.imagePullSecrets, EVERYTHING.imagePullSecrets)
  t.same(spec.nodeSelector, EVERYTHING.nodeSelector)
  t.same(spec.tolerations, EVERYTHING.tolerations)
  t.match(one(objects, 'Deployment').spec.template.metadata, { annotations: EVERYTHING.podAnnotations, labels: EVERYTHING.podLabels })
  t.same(main.env.find((entry) => entry.name === 'API_TOKEN'), { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'sizing-token', key: 'api-token' } } }, 'the token from the existing Secret')
  t.equal(plainEnv(objects).PROMETHEUS_URL, EVERYTHING.config.prometheusUrl)
  t.same(main.resources, EVERYTHING.resources)
  t.match(one(objects, 'ServiceAccount').metadata, { name: 'capacity-sizing-reader', annotations: EVERYTHING.serviceAccount.annotations })
  t.same(one(objects, 'Service').spec.ports.map((port: any) => port.port), [80, 9091])
  t.equal(one(objects, 'Service').spec.type, 'LoadBalancer')
  t.match(one(objects, 'ServiceMonitor'), { metadata: { labels: EVERYTHING.serviceMonitor.labels }, spec: { endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }] } })
  t.same(one(objects, 'NetworkPolicy').spec.ingress, [
    { ports: [{ port: 'http', protocol: 'TCP' }], from: EVERYTHING.networkPolicy.apiFrom },
    { ports: [{ port: 'metrics', protocol: 'TCP' }], from: EVERYTHING.networkPolicy.metricsFrom }
  ], 'each port admits its peers, as given')
  const ingress = one(objects, 'Ingress')
  t.match(ingress, { metadata: { annotations: EVERYTHING.ingress.annotations }, spec: { ingressClassName: 'nginx', tls: EVERYTHING.ingress.tls } })
  t.same(ingress.spec.rules.map((rule: any) => [rule.host, rule.http.paths.map((path: any) => `${String(path.pathType)} ${String(path.path)}`)]),
    EVERYTHING.ingress.hosts.map((host) => [host.host, host.paths.map((path) => `${path.pathType} ${path.path}`)]))
  t.match(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, [{ topologyKey: 'kubernetes.io/hostname' }], 'antiAffinity: required')
  t.match(spec.topologySpreadConstraints, [{ maxSkew: 2, topologyKey: 'topology.kubernetes.io/region', whenUnsatisfiable: 'DoNotSchedule' }])
  t.match(one(objects, 'HorizontalPodAutoscaler').spec, { minReplicas: 4, maxReplicas: 20, metrics: [{ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] })
  t.equal(one(objects, 'PodDisruptionBudget').spec.minAvailable, 3)
})

t.test('network policy with empty peer lists: this namespace\'s pods only, never every source', { skip }, async (t) => {
  const objects = await rendered('network policy with empty peer lists, ServiceMonitor, ingress without TLS')
  t.same(one(objects, 'NetworkPolicy').spec.ingress.map((rule: any) => rule.from), [[{ podSelector: {} }], [{ podSelector: {} }]])
  t.equal(one(objects, 'Ingress').spec.tls, undefined)
  t.equal(one(objects, 'Ingress').spec.ingressClassName, undefined, 'no class: the cluster\'s default')
  const text = await notes({ networkPolicy: { enabled: true }, serviceMonitor: { enabled: true }, ingress: { enabled: true }, auth: { existingSecret: 'sizing-token' } })
  t.match(text, 'WARNING: networkPolicy.apiFrom is empty', 'NOTES.txt warns that an ingress controller elsewhere is shut out')
  t.match(text, 'WARNING: networkPolicy.metricsFrom is empty', 'and that a Prometheus elsewhere is')
  t.match(text, 'Through the ingress: http://sizing.example.com/')
  t.match(text, /get secret sizing-token -o jsonpath='\{\.data\.token\}'/, 'how to call it with the token')
  t.notMatch(await notes({}), 'WARNING', 'the defaults: no warning')
  t.match(await notes({ autoscaling: { minReplicas: 2 }, podDisruptionBudget: { minAvailable: 1 } }), 'WARNING: fewer than 3 replicas', 'fewer than 3 replicas (the HPA\'s minimum)')
})

t.test('the defaults follow our own HA advice', { skip }, async (t) => {
  const objects = await rendered('defaults')
  const spec = podSpec(objects)
  t.match(one(objects, 'HorizontalPodAutoscaler').spec, { minReplicas: 3, metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70 } } }] })
  t.equal(one(objects, 'PodDisruptionBudget').spec.minAvailable, 2)
  t.ok(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.length > 0, 'anti-affinity across nodes')
  t.match(spec.topologySpreadConstraints, [{ topologyKey: 'topology.kubernetes.io/zone' }], 'spread across zones')
  t.equal(container(objects).image, 'sizing-service:0.4.0', 'the chart\'s appVersion as the tag')
})

// ---------------------------------------------------------------------------------------------
// The Deployment against the image and the service.

const dockerfile = imageFacts(read('Dockerfile'))

/** Users of the official Node images (`node:<version>-<variant>`): /etc/passwd there has node:x:1000:1000. */
const NODE_IMAGE_USERS: Record<string, [number, number]> = { node: [1000, 1000], root: [0, 0] }

t.test('the Deployment runs as the image\'s user, with the restricted security settings', { skip }, async (t) => {
  for (const name of ['defaults', 'every optional feature on'] as const) {
    const objects = await rendered(name)
    const spec = podSpec(objects)
    const main = container(objects)
    const user = dockerfile.user ?? 'root'
    let expected: [number, number] | undefined
    if (/^\d+(:\d+)?$/.test(user)) {
      const [uid, gid] = user.split(':').map(Number)
      expected = [uid, gid ?? uid]
    } else {
      t.match(dockerfile.base, /^node:/, `USER ${user} is a name: resolvable here only in the official Node images`)
      expected = NODE_IMAGE_USERS[user]
    }
    t.ok(expected !== undefined, `the image's USER ${user} has a known uid`)
    t.match(spec.securityContext, { runAsNonRoot: true, runAsUser: expected?.[0], runAsGroup: expected?.[1], fsGroup: expected?.[1], seccompProfile: { type: 'RuntimeDefault' } },
      `${name}: numeric runAsUser/runAsGroup (${String(expected)}): Kubernetes can verify runAsNonRoot against a numeric user only`)
    t.not(spec.securityContext.runAsUser, 0)
    t.same(main.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } }, `${name}: the container's settings`)
    t.equal(spec.automountServiceAccountToken, false, 'no API token in the pod: the service never calls Kubernetes')
    t.equal(spec.enableServiceLinks, false, 'no <SERVICE>_PORT variables beside the service\'s own')
    t.equal(spec.hostNetwork, undefined)
    const volumes = new Map((spec.volumes as Array<{ name: string, emptyDir?: object }>).map((volume) => [volume.name, volume]))
    t.same((main.volumeMounts as Array<{ name: string, mountPath: string }>).map((mount) => [mount.mountPath, volumes.get(mount.name)?.emptyDir !== undefined]), [['/tmp', true]],
      'the root file system is read-only; the one writable place is /tmp, an emptyDir')
  }
  // what the service itself writes: nothing (no file-writing call from node:fs anywhere in src/)
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.ts'))
  const writers = /\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|mkdir|mkdirSync|mkdtemp|mkdtempSync|rename|renameSync|copyFile|copyFileSync|symlink|symlinkSync|rm|rmSync|unlink|unlinkSync|open|openSync)\b/
  const offenders = sources.flatMap((path) => [...read(`src/${path}`).matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'node:fs(?:\/promises)?'/g)]
    .filter((match) => writers.test(match[1])).map(() => path))
  t.same(offenders, [], 'no module of the service imports a file-writing function')
})

t.test('ports, host and environment agree with the Dockerfile and the service\'s configuration', { skip }, async (t) => {
  for (const name of ['defaults', 'every optional feature on'] as const) {
    const objects = await rendered(name)
    const main = container(objects)
    const env = plainEnv(objects)
    const secretEnv = main.env.filter((entry) => entry.valueFrom !== undefined).map((entry) => entry.name)
    t.same(main.env.map((entry) => entry.name).filter((variable) => !(variable in ConfigSchema.properties)), [], `${name}: every variable set is one the service reads`)
    t.same(Object.keys(ConfigSchema.properties).filter((variable) => !(variable in env) && !secretEnv.includes(variable)).sort(),
      name === 'defaults' ? ['API_TOKEN', 'API_TOKEN_FILE'] : ['API_TOKEN_FILE'],
      `${name}: every variable the service reads is set, but the token (from auth.existingSecret as API_TOKEN; API_TOKEN_FILE unused)`)
    const chartConfig = serviceConfig({ ...env, ...(secretEnv.includes('API_TOKEN') ? { API_TOKEN: 't'.repeat(16) } : {}) })
    const imageConfig = serviceConfig(dockerfile.env)
    const port = (portName: string): number | undefined => main.ports.find((entry) => entry.name === portName)?.containerPort
    t.equal(port('http'), chartConfig.PORT, `${name}: the http container port is the port the service listens on`)
    t.equal(port('metrics'), chartConfig.METRICS_PORT, `${name}: the metrics container port is the service's metrics port`)
    t.same(main.ports.map((entry) => entry.containerPort).sort(), [...dockerfile.expose].sort(), `${name}: the container ports are the image's EXPOSE`)
    t.equal(chartConfig.PORT, imageConfig.PORT, 'the same API port as the image\'s ENV')
    t.equal(chartConfig.METRICS_PORT, imageConfig.METRICS_PORT, 'the same metrics port as the image\'s ENV')
    t.equal(chartConfig.HOST, imageConfig.HOST, 'the same listening address as the image\'s ENV')
    // each values.config key reaches its variable, written as the service reads it (no 1.048576e+06)
    const values = (name === 'defaults' ? defaults : EVERYTHING).config as Record<string, string | number | boolean>
    for (const [key, value] of Object.entries(values)) {
      const variable = configVariable(key)
      t.equal(env[variable], String(value), `config.${key} -> ${variable}="${String(value)}"`)
      t.same(chartConfig[variable as keyof typeof chartConfig], value, `the service reads ${variable} as config.${key}`)
    }
  }
})

/** values.config's key -> the service's variable: camelCase to SNAKE_CASE (one abbreviation). */
function configVariable (key: string): string {
  return key === 'pressureRetryAfterSeconds' ? 'PRESSURE_RETRY_AFTER_S' : key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()
}

t.test('values.schema.json allows for each config key exactly what the service accepts', async (t) => {
  const config = valuesSchema.properties.config
  t.same(Object.keys(config.properties).map(configVariable).filter((variable) => !(variable in ConfigSchema.properties)), [], 'every key maps to a variable of src/config.ts')
  const service = ConfigSchema.properties as unknown as Record<string, Record<string, unknown>>
  for (const [key, rule] of Object.entries(config.properties as Record<string, Record<string, unknown>>)) {
    const variable = service[configVariable(key)]
    const pick = (schema: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(['type', 'minimum', 'maximum', 'enum', 'pattern']
      .filter((keyword) => schema[keyword] !== undefined).map((keyword) => [keyword, schema[keyword]]))
    if (key === 'corsOrigins') {
      t.equal(variable.type, 'string')
      // loadConfig checks each origin against /^https?:\/\/[^\s/]+$/; the chart's pattern checks the list
      const pattern = new RegExp(rule.pattern as string)
      for (const good of ['', 'https://a.example.com', 'https://a.example.com, http://b.example.com:8443', ' https://a.example.com ,']) {
        t.ok(pattern.test(good), `corsOrigins "${good}" passes the chart`)
        t.doesNotThrow(() => serviceConfig({ CORS_ORIGINS: good }), 'and the service')
      }
      for (const bad of ['a.example.com', 'https://a.example.com/path', 'https://a.example.com,ftp://b']) {
        t.notOk(pattern.test(bad), `corsOrigins "${bad}" fails the chart`)
        t.throws(() => serviceConfig({ CORS_ORIGINS: bad }), 'and the service')
      }
      continue
    }
    t.same(pick(rule), pick(variable), `config.${key}: the same type, range, enum and pattern as ${configVariable(key)}`)
  }
})

t.test('the probes ask what the service serves, as the image\'s HEALTHCHECK does', { skip }, async (t) => {
  const objects = await rendered('defaults')
  const main = container(objects)
  const paths = Object.fromEntries(['startupProbe', 'livenessProbe', 'readinessProbe'].map((probe) => [probe, main[probe].httpGet.path as string]))
  const healthcheck = dockerfile.healthcheck ?? ''
  const checked = /https?:\/\/[^'"`\s]*?['"`]?\s*\+\s*\(?process\.env\.PORT[^+]*\+\s*['"`](\/[^'"`]*)['"`]/.exec(healthcheck)?.[1] ?? /['"`](\/[a-z][^'"`]*)['"`]/.exec(healthcheck)?.[1]
  t.ok(checked !== undefined, `the HEALTHCHECK asks a path (${healthcheck})`)
  t.match(healthcheck, /process\.env\.PORT/, 'on the port the service listens on')
  t.equal(paths.livenessProbe, checked, 'liveness asks what the image\'s HEALTHCHECK asks')
  t.equal(paths.startupProbe, checked)
  const app = Fastify()
  const state = { readiness: { ready: true, warm: true }, pressure: { reason: undefined as string | undefined, probability: 0 } }
  app.decorate('readiness', state.readiness)
  app.decorate('pressure', state.pressure as never)
  app.addSchema(ErrorResponseSchema)
  await app.register(healthRoutes)
  t.teardown(async () => { await app.close() })
  const status = async (path: string): Promise<number> => (await app.inject({ method: 'GET', url: path })).statusCode
  for (const path of Object.values(paths)) t.equal(await status(path), 200, `${path} answers 200 when the service is ready`)
  state.readiness.warm = false
  t.equal(await status(paths.readinessProbe), 503, 'readiness fails while the service warms up: no traffic before the routes are warm')
  t.equal(await status(paths.livenessProbe), 200, 'liveness does not: warming up is not a reason to restart')
  t.equal(await status(paths.startupProbe), 200, 'the startup probe passes once the process answers')
  state.readiness.warm = true
  state.readiness.ready = false
  t.equal(await status(paths.readinessProbe), 503, 'readiness fails once shutdown starts: the endpoints drain')
  t.equal(await status(paths.livenessProbe), 200, 'liveness does not: a draining pod is not restarted')
  state.readiness.ready = true
  state.pressure.reason = 'event loop delay'
  state.pressure.probability = 1
  t.equal(await status(paths.readinessProbe), 503, 'readiness fails while refusing every request')
  t.equal(await status(paths.livenessProbe), 200, 'liveness does not')
  // the ServiceMonitor's path on the metrics listener
  const monitor = one(await rendered('every optional feature on'), 'ServiceMonitor')
  t.match(read('src/plugins/metrics.ts'), `.get('${String(monitor.spec.endpoints[0].path)}'`, 'the ServiceMonitor scrapes the path the metrics listener serves')
})

t.test('shutdown and probes: the grace period covers the whole drain; the probes ride out a second of starvation', { skip }, async (t) => {
  for (const name of ['defaults', 'every optional feature on'] as const) {
    const objects = await rendered(name)
    const spec = podSpec(objects)
    const main = container(objects)
    const env = plainEnv(objects)
    const [sleep, seconds] = main.lifecycle.preStop.exec.command as string[]
    t.equal(sleep, 'sleep', 'preStop sleeps (the image has sleep: node:*-slim is Debian)')
    const drainMs = Number(seconds) * 1000 + Number(env.SHUTDOWN_DELAY_MS) + Number(env.SHUTDOWN_TIMEOUT_MS)
    t.ok(Number(env.SHUTDOWN_DELAY_MS) > 0, 'a non-zero drain: readiness 503 and Connection: close before the listener closes')
    t.ok(spec.terminationGracePeriodSeconds * 1000 >= drainMs,
      `${name}: terminationGracePeriodSeconds ${String(spec.terminationGracePeriodSeconds)} s >= preStop ${seconds} s + drain ${env.SHUTDOWN_DELAY_MS} ms + in-flight ${env.SHUTDOWN_TIMEOUT_MS} ms`)
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const settings = main[probe] as { timeoutSeconds: number, failureThreshold: number }
      t.ok(settings.timeoutSeconds >= 2, `${probe}: a 1 s stall is not a timeout (timeoutSeconds ${settings.timeoutSeconds})`)
      t.ok(settings.failureThreshold >= 2, `${probe}: one slow answer is not a failure (failureThreshold ${settings.failureThreshold})`)
    }
  }
  t.equal(defaults.config.shutdownDelayMs, serviceConfig({}).SHUTDOWN_DELAY_MS, 'the chart and the service agree on the drain')
  const env = plainEnv(await rendered('defaults'))
  t.ok(Number(env.WORKER_THREADS) >= 1, 'the worker pool is sized to the CPU limit, not to the node\'s CPUs')
})

// ---------------------------------------------------------------------------------------------
// values.schema.json: every rule broken once.

const generated = schemaCases(valuesSchema, EVERYTHING, BAD_STRINGS)

t.test('values.schema.json: every rule has a generated bad value; every key of it is exercised', async (t) => {
  t.same(generated.uncovered, [], 'no keyword, pattern or property without a case')
  t.same(generated.conditionals, ['/', '/ingress'], 'the conditional rules, tested by hand below')
  t.ok(generated.cases.length > 150, `${generated.cases.length} cases`)
})

/**
 * The cases packed into documents that each break several values at once, none inside another
 * (Helm reports every violation, each on its own line): a few helm calls instead of hundreds.
 */
function batches (cases: readonly SchemaCase[], size: number): SchemaCase[][] {
  const packed: SchemaCase[][] = []
  for (const entry of cases) {
    const home = packed.find((batch) => batch.length < size && !batch.some((other) => overlap(other, entry)))
    if (home === undefined) packed.push([entry])
    else home.push(entry)
  }
  return packed
}

const schemaRuns = skip !== undefined
  ? undefined
  : Promise.all([template(EVERYTHING), ...batches(generated.cases, 60).map(async (group) => {
    const values = withCases(EVERYTHING, group)
    const [rendered, linted] = await Promise.all([template(values), lint(values)])
    return { group, rendered, linted }
  })])

t.test('values.schema.json: each bad value is refused by helm template and helm lint, naming the field', { skip }, async (t) => {
  const [everything, ...results] = await (schemaRuns as NonNullable<typeof schemaRuns>)
  t.equal(everything.code, 0, `the document the cases break is valid by itself: ${everything.stderr}`)
  t.pass(`${generated.cases.length} cases in ${results.length} documents (as many as the deepest chain of nested rules)`)
  for (const { group, rendered, linted } of results) {
    for (const [tool, result] of [['helm template', rendered], ['helm lint --strict', linted]] as const) {
      t.not(result.code, 0, `${tool} fails`)
      const output = `${result.stdout}\n${result.stderr}`
      const lines = output.split('\n').filter((line) => /\bat '[^']*':/.test(line))
      for (const entry of group) {
        t.ok(lines.some((line) => line.includes(`at '${entry.at}': `) && entry.fragment.test(line)), `${tool}: ${entry.name}: "at '${entry.at}': ${entry.fragment.source}"`)
      }
      // nothing else is refused: every line is about one of the bad values (or an object holding it)
      const stray = lines.filter((line) => {
        const at = (/at '([^']*)'/.exec(line) as RegExpExecArray)[1]
        return !group.some((entry) => entry.at === at || entry.at.startsWith(`${at}/`) || at === '')
      })
      t.same(stray, [], `${tool}: no error beyond the bad values`)
    }
  }
})

// The rules beyond single values: JSON Schema's if/then, and the templates' `fail` calls.
const CROSS_FIELD: Array<{ name: string, values: object, error: RegExp | undefined }> = [
  { name: 'autoscaling on without a CPU request', values: { resources: { requests: { cpu: null } } }, error: /at '\/resources\/requests': missing property 'cpu'/ },
  { name: 'autoscaling on without requests', values: { resources: { requests: null } }, error: /at '\/resources': missing property 'requests'/ },
  { name: 'autoscaling off without a CPU request', values: { autoscaling: { enabled: false }, resources: { requests: { cpu: null } } }, error: undefined },
  { name: 'ingress on without hosts', values: { ingress: { enabled: true, hosts: [] } }, error: /at '\/ingress\/hosts': minItems: got 0, want 1/ },
  { name: 'ingress off without hosts', values: { ingress: { enabled: false, hosts: [] } }, error: undefined },
  { name: 'HPA minReplicas above maxReplicas', values: { autoscaling: { minReplicas: 5, maxReplicas: 4 }, podDisruptionBudget: { minAvailable: 1 } }, error: /autoscaling\.minReplicas \(5\) must not exceed autoscaling\.maxReplicas \(4\)/ },
  { name: 'HPA minReplicas equal to maxReplicas', values: { autoscaling: { minReplicas: 4, maxReplicas: 4 } }, error: undefined },
  { name: 'HPA bounds ignored with autoscaling off', values: { autoscaling: { enabled: false, minReplicas: 5, maxReplicas: 4 } }, error: undefined },
  { name: 'PDB minAvailable equal to replicaCount', values: { autoscaling: { enabled: false }, replicaCount: 2 }, error: /podDisruptionBudget\.minAvailable \(2\) must be below the replicas \(2, replicaCount\)/ },
  { name: 'PDB minAvailable above replicaCount 1', values: { autoscaling: { enabled: false }, replicaCount: 1 }, error: /podDisruptionBudget\.minAvailable \(2\) must be below the replicas \(1, replicaCount\)/ },
  { name: 'PDB minAvailable equal to the HPA\'s minReplicas', values: { autoscaling: { minReplicas: 2 } }, error: /podDisruptionBudget\.minAvailable \(2\) must be below the replicas \(2, autoscaling\.minReplicas\)/ },
  { name: 'PDB minAvailable one below the replicas', values: { autoscaling: { enabled: false }, replicaCount: 3 }, error: undefined },
  { name: 'one replica without a PDB', values: { autoscaling: { enabled: false }, replicaCount: 1, podDisruptionBudget: { enabled: false } }, error: undefined },
  { name: 'grace period one second short of preStop + drain + in-flight', values: { terminationGracePeriodSeconds: 19 }, error: /terminationGracePeriodSeconds \(19 s\) must cover preStopSleepSeconds \+ config\.shutdownDelayMs \+ config\.shutdownTimeoutMs \(20000 ms\)/ },
  { name: 'grace period exactly preStop + drain + in-flight', values: { terminationGracePeriodSeconds: 20 }, error: undefined },
  { name: 'grace period short once the drain grows', values: { config: { shutdownTimeoutMs: 30001 }, preStopSleepSeconds: 0 }, error: /\(35001 ms\)/ },
  { name: 'memory request above its limit', values: { resources: { requests: { memory: '1Gi' }, limits: { memory: '1023Mi' } } }, error: /resources\.requests\.memory \(1Gi\) must not exceed resources\.limits\.memory \(1023Mi\)/ },
  { name: 'memory request equal to its limit in other units', values: { resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } }, error: undefined },
  { name: 'CPU request above its limit (millicores against cores)', values: { resources: { requests: { cpu: '1501m' }, limits: { cpu: 1.5 } } }, error: /resources\.requests\.cpu \(1501m\) must not exceed resources\.limits\.cpu \(1\.5\)/ },
  { name: 'CPU request equal to its limit (cores against millicores)', values: { resources: { requests: { cpu: '1.5' }, limits: { cpu: '1500m' } } }, error: undefined },
  { name: 'decimal and binary suffixes compared', values: { resources: { requests: { memory: '1G' }, limits: { memory: '953Mi' } } }, error: /resources\.requests\.memory \(1G\) must not exceed/ },
  { name: 'a request without a limit', values: { resources: { requests: { 'ephemeral-storage': '1Gi' } } }, error: undefined },
  { name: 'metrics port equal to the API port', values: { service: { metricsPort: 8080 } }, error: /service\.metricsPort must differ from service\.port \(both 8080\)/ }
]

const crossFieldRuns = skip !== undefined ? undefined : Promise.all(CROSS_FIELD.map(async (entry) => ({ entry, result: await template(entry.values) })))

t.test('cross-field rules: each refused with a message naming the values, each boundary accepted', { skip }, async (t) => {
  const results = await (crossFieldRuns as NonNullable<typeof crossFieldRuns>)
  for (const { entry, result } of results) {
    if (entry.error === undefined) t.equal(result.code, 0, `${entry.name}: accepted ${result.stderr}`)
    else {
      t.not(result.code, 0, `${entry.name}: refused`)
      t.match(result.stderr, entry.error, `${entry.name}: ${result.stderr.split('\n')[0]}`)
    }
  }
  // Helm's lint renders with `fail` made harmless (it logs the message and goes on), so these rules
  // stop `helm template`, `install` and `upgrade`, not `helm lint`
  const linted = await lint({ terminationGracePeriodSeconds: 19 })
  t.equal(linted.code, 0, 'helm lint --strict does not stop on a template\'s fail')
  t.match(linted.stderr, /funcMap fail.*terminationGracePeriodSeconds \(19 s\) must cover/, 'it only logs the message')
})
