// What scripts/image-check.sh needs from the chart, as shell assignments (KEY='value' lines) on
// stdout, and the Deployment's environment as an env file (NAME=VALUE lines) for podman --env-file.
// From a manifest rendered by `helm template` when one is given; otherwise from values.yaml and the
// Deployment template read directly (its literals and the `.Values.*` each line names).
//
// usage: node chart-facts.mjs <chart-dir> <env-file-out> [rendered-manifest] [yaml-module-dir]
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const [chartDir, envOut, rendered, yamlFrom] = process.argv.slice(2)
// the project's own `yaml` dependency; the script installs one into its work folder when the
// checkout has no node_modules
const require = createRequire(path.join(path.resolve(yamlFrom ?? process.cwd()), 'noop.js'))
const YAML = require('yaml')

const values = YAML.parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'))

function bytes (quantity) {
  const m = /^([0-9.]+)([KMGTE]i?|[kmgte]?)$/.exec(String(quantity))
  if (!m) throw new Error(`unreadable memory quantity ${quantity}`)
  const mult = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Ei: 2 ** 60 }[m[2]]
  return Math.round(Number(m[1]) * mult)
}
function cpus (quantity) {
  const s = String(quantity)
  return s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s)
}

let source
let pod
let container
if (rendered) {
  const docs = YAML.parseAllDocuments(readFileSync(rendered, 'utf8')).map((d) => d.toJS()).filter(Boolean)
  const deployment = docs.find((d) => d.kind === 'Deployment')
  if (!deployment) throw new Error('no Deployment in the rendered chart')
  pod = deployment.spec.template.spec
  container = pod.containers[0]
  source = 'the Deployment rendered by helm template'
} else {
  // The template's lines for these are literals or one `.Values.x` each; read them as written.
  const template = readFileSync(path.join(chartDir, 'templates', 'deployment.yaml'), 'utf8')
  const lookup = (expr) => expr.split('.').filter(Boolean).reduce((o, k) => (o == null ? undefined : o[k]), { Values: values })
  const valueOf = (raw) => {
    const action = /^\{\{-?\s*(\.Values\.[\w.]+)(\s*\|\s*quote)?\s*-?\}\}$/.exec(raw.trim())
    if (action) return String(lookup(action[1]))
    const quoted = /^"(.*)"$/.exec(raw.trim())
    return quoted ? quoted[1] : raw.trim()
  }
  const env = []
  for (const m of template.matchAll(/- name: (\w+)\n\s+value: (.+)/g)) env.push({ name: m[1], value: valueOf(m[2]) })
  const ports = [...template.matchAll(/- name: (\w+)\n\s+containerPort: (\d+)/g)].map((m) => ({ name: m[1], containerPort: Number(m[2]) }))
  const num = (re) => { const m = re.exec(template); return m ? Number(m[1]) : undefined }
  const podSc = /\n {6}securityContext:\n((?: {8}.*\n)+)/.exec(template)?.[1] ?? ''
  const ctrSc = /\n {10}securityContext:\n((?: {12}.*\n)+)/.exec(template)?.[1] ?? ''
  pod = {
    terminationGracePeriodSeconds: /terminationGracePeriodSeconds: \{\{ \.Values\.terminationGracePeriodSeconds \}\}/.test(template) ? values.terminationGracePeriodSeconds : undefined,
    securityContext: { runAsUser: num(/runAsUser: (\d+)/), runAsGroup: num(/runAsGroup: (\d+)/), runAsNonRoot: /runAsNonRoot: true/.test(podSc) }
  }
  container = {
    ports,
    env,
    resources: /toYaml \.Values\.resources/.test(template) ? values.resources : undefined,
    lifecycle: /sleep", "\{\{ \.Values\.preStopSleepSeconds \}\}"/.test(template) ? { preStop: { exec: { command: ['sleep', String(values.preStopSleepSeconds)] } } } : undefined,
    securityContext: {
      readOnlyRootFilesystem: /readOnlyRootFilesystem: true/.test(ctrSc),
      allowPrivilegeEscalation: !/allowPrivilegeEscalation: false/.test(ctrSc),
      capabilities: { drop: /drop:\n\s+- ALL/.test(ctrSc) ? ['ALL'] : [] }
    }
  }
  source = 'values.yaml and templates/deployment.yaml read directly (no helm)'
}

const env = Object.fromEntries((container.env ?? []).filter((e) => 'value' in e).map((e) => [e.name, String(e.value)]))
const port = (name) => container.ports.find((p) => p.name === name)?.containerPort
const preStop = container.lifecycle?.preStop?.exec?.command
const facts = {
  CHART_SOURCE: source,
  MEM_REQUEST: container.resources?.requests?.memory,
  MEM_REQUEST_BYTES: bytes(container.resources?.requests?.memory),
  MEM_LIMIT_BYTES: container.resources?.limits?.memory ? bytes(container.resources.limits.memory) : '',
  CPU_LIMIT: container.resources?.limits?.cpu ? cpus(container.resources.limits.cpu) : '',
  GRACE_S: pod.terminationGracePeriodSeconds,
  PRESTOP_S: preStop && preStop[0] === 'sleep' ? Number(preStop[1]) : 0,
  CHART_HTTP_PORT: port('http'),
  CHART_METRICS_PORT: port('metrics'),
  CHART_ENV_PORT: env.PORT ?? '',
  CHART_ENV_METRICS_PORT: env.METRICS_PORT ?? '',
  CHART_RUN_AS_USER: pod.securityContext?.runAsUser ?? container.securityContext?.runAsUser ?? '',
  CHART_RUN_AS_GROUP: pod.securityContext?.runAsGroup ?? container.securityContext?.runAsGroup ?? '',
  CHART_READ_ONLY_ROOT: container.securityContext?.readOnlyRootFilesystem === true,
  CHART_NO_PRIV_ESC: container.securityContext?.allowPrivilegeEscalation === false,
  CHART_DROPS_ALL: (container.securityContext?.capabilities?.drop ?? []).includes('ALL'),
  SHUTDOWN_DELAY_MS: env.SHUTDOWN_DELAY_MS ?? 5000,
  SHUTDOWN_TIMEOUT_MS: env.SHUTDOWN_TIMEOUT_MS ?? 10000
}
for (const [k, v] of Object.entries(facts)) {
  if (v === undefined || Number.isNaN(v)) throw new Error(`chart: ${k} not found`)
  console.log(`${k}='${String(v).replaceAll("'", "'\\''")}'`)
}
// the container runs with the Deployment's environment, but on loopback ports of the script's choosing
const envLines = Object.entries(env).filter(([k]) => !['HOST', 'PORT', 'METRICS_PORT'].includes(k)).map(([k, v]) => `${k}=${v}`)
writeFileSync(envOut, envLines.join('\n') + '\n')
