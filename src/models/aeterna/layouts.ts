// The chart layouts a values file can be for: the seed's single chart, and today's upstream pair
// (kikokikok/aeterna split it in April 2026: charts/aeterna, the application, and
// charts/aeterna-prereqs, its databases). Every values file the service hands out names one.
import { type NotExpressible, UPSTREAM_COMMIT, toUpstreamValues } from './upstream.js'

export const CHART_LAYOUTS = ['seed', 'upstream-app', 'upstream-prereqs'] as const
export type ChartLayoutName = typeof CHART_LAYOUTS[number]

export interface ChartLayoutInfo {
  name: ChartLayoutName
  /** the chart the file is for */
  chart: string
  description: string
  /** the upstream commit whose templates the layout follows (upstream layouts only) */
  commit?: { sha: string, date: string, repository: string }
}

const UPSTREAM = `kikokikok/aeterna at ${UPSTREAM_COMMIT.sha.slice(0, 8)} (${UPSTREAM_COMMIT.date.slice(0, 10)})`

const INFO: Readonly<Record<ChartLayoutName, Omit<ChartLayoutInfo, 'commit'>>> = {
  seed: {
    name: 'seed',
    chart: 'aeterna (the seeds\' single chart)',
    description: 'Seed 000/002\'s layout: one chart with aeterna, postgresql.cloudnativepg, qdrant, dragonfly, opal and autoscaling. The upstream chart left it in April 2026 (kikokikok/aeterna 89b18ce0): its app chart no longer reads the database keys; use upstream-app and upstream-prereqs for today\'s charts.'
  },
  'upstream-app': {
    name: 'upstream-app',
    chart: 'charts/aeterna',
    description: `Today's upstream application chart, ${UPSTREAM}: the Aeterna Deployment, its HPA and PDB, OPAL, and the connections (postgresql.host, redis.host, vectorStore.host) to what the prereqs chart deploys.`
  },
  'upstream-prereqs': {
    name: 'upstream-prereqs',
    chart: 'charts/aeterna-prereqs',
    description: `Today's upstream prerequisites chart, ${UPSTREAM}: the CloudNativePG cluster, Dragonfly and Qdrant the application connects to. Install it first.`
  }
}

export function chartLayoutInfo (name: ChartLayoutName): ChartLayoutInfo {
  return name === 'seed' ? { ...INFO.seed } : { ...INFO[name], commit: { ...UPSTREAM_COMMIT } }
}

/** A seed-layout values document as the named layout's file, and what that chart cannot express. */
export function valuesInLayout (seedValues: Record<string, unknown>, name: ChartLayoutName): { values: Record<string, unknown>, notExpressible: NotExpressible[] } {
  if (name === 'seed') return { values: seedValues, notExpressible: [] }
  const upstream = toUpstreamValues(seedValues)
  return { values: name === 'upstream-app' ? upstream.app : upstream.prereqs, notExpressible: upstream.notExpressible }
}

/** The comment lines that open a values file of the layout: which chart, which commit. */
export function layoutHeader (name: ChartLayoutName): string {
  const info = chartLayoutInfo(name)
  const lines = [`# Chart layout: ${info.name} (${info.chart}).`]
  if (info.commit !== undefined) lines.push(`# Follows ${info.commit.repository} at ${info.commit.sha} (${info.commit.date}).`)
  if (name === 'upstream-app') lines.push('# Install charts/aeterna-prereqs first (?layout=upstream-prereqs); what neither chart can express is listed in the JSON answer (chartLayout.notExpressible).')
  if (name === 'seed') lines.push('# Today\'s upstream charts read other keys: ask for ?layout=upstream-app and ?layout=upstream-prereqs.')
  return lines.join('\n')
}
