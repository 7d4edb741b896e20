// Values the chart tests render: every optional feature on at once (EVERYTHING, also the base of
// every bad-value case: it sets every key the schema declares), and the other switches.

const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }

/** Every optional feature on, every key of values.schema.json set, nothing at its default. */
export const EVERYTHING = {
  replicaCount: 4,
  image: { repository: 'registry.example.com:5000/platform/sizing-service', tag: '0.1.0', digest: `sha256:${'0123456789abcdef'.repeat(4)}`, pullPolicy: 'Always' },
  imagePullSecrets: [{ name: 'registry-credentials' }],
  nameOverride: 'sizing',
  fullnameOverride: 'capacity-sizing',
  serviceAccount: { create: true, name: 'capacity-sizing-reader', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/sizing' } },
  podAnnotations: { 'example.com/owner': 'capacity-team' },
  podLabels: { team: 'capacity' },
  service: { type: 'LoadBalancer', port: 80, metricsPort: 9091 },
  config: {
    logLevel: 'warn',
    bodyLimitBytes: 104857600,
    requestTimeoutMs: 20000,
    keepAliveTimeoutMs: 65000,
    connectionTimeoutMs: 40000,
    shutdownDelayMs: 8000,
    shutdownTimeoutMs: 30000,
    maxEventLoopUtilization: 0.95,
    shedTargetDelayMs: 80,
    maxEventLoopDelayMs: 500,
    pressureSampleIntervalMs: 250,
    maxHeapUsedBytes: 805306368,
    maxRssBytes: 1006632960,
    pressureRetryAfterSeconds: 30,
    workerThreads: 2,
    workerSmallThreads: 0,
    workerQueueMax: 16,
    workerTaskTimeoutMs: 30000,
    analysisBudgetMs: 4000,
    offloadBodyBytes: 65536,
    corsOrigins: 'https://portal.example.com, https://admin.example.com',
    rateLimitMax: 600,
    rateLimitWindowMs: 86400000,
    docsPublic: false,
    prometheusUrl: 'http://prometheus-server.monitoring:9090',
    prometheusTimeoutMs: 20000,
    prometheusMaxBytes: 1073741824,
    prometheusMaxPoints: 2000000
  },
  auth: { existingSecret: 'sizing-token', secretKey: 'api-token' },
  resources: { requests: { cpu: '1500m', memory: '1Gi', 'ephemeral-storage': '64Mi' }, limits: { cpu: 3, memory: '1.5Gi', 'ephemeral-storage': '128Mi' } },
  preStopSleepSeconds: 10,
  terminationGracePeriodSeconds: 60,
  autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 20, targetCPUUtilizationPercentage: 60 },
  podDisruptionBudget: { enabled: true, minAvailable: 3 },
  antiAffinity: 'required',
  topologySpread: { enabled: true, maxSkew: 2, topologyKey: 'topology.kubernetes.io/region', whenUnsatisfiable: 'DoNotSchedule' },
  serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus-stack' } },
  ingress: {
    enabled: true,
    className: 'nginx',
    annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '100m' },
    hosts: [
      { host: 'sizing.example.com', paths: [{ path: '/', pathType: 'Prefix' }] },
      { host: '*.capacity.example.com', paths: [{ path: '/api', pathType: 'ImplementationSpecific' }, { path: '/docs', pathType: 'Exact' }] }
    ],
    tls: [{ secretName: 'sizing-tls', hosts: ['sizing.example.com'] }]
  },
  networkPolicy: {
    enabled: true,
    apiFrom: [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['ingress-nginx'] }] } },
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }
    ],
    metricsFrom: [
      { ...monitoring, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' }, matchExpressions: [{ key: 'shard', operator: 'Exists' }] } },
      { ipBlock: { cidr: 'fd00::/8' } }
    ]
  },
  nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'capacity', effect: 'NoSchedule', tolerationSeconds: 300 }]
}

/** A string each pattern of values.schema.json refuses, by pattern. */
export const BAD_STRINGS: Readonly<Record<string, string>> = {
  '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$': 'registry.example.com/sizing-service:0.1.0',
  '^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$': '-0.1.0',
  '^(sha256:[a-f0-9]{64})?$': 'sha256:abc',
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$': 'Sizing_Service',
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$': 'Sizing_Token',
  '^\\s*(https?://[^\\s/,]+)?\\s*(,\\s*(https?://[^\\s/,]+)?\\s*)*$': 'portal.example.com',
  '^(https?://[^\\s]+)?$': 'prometheus-server.monitoring:9090',
  '^[-._a-zA-Z0-9]+$': 'api token',
  '^[0-9]+(\\.[0-9]+)?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$': '2 cores',
  '^[0-9]+(s|m|h)$': '30 seconds',
  '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$': 'https://sizing.example.com',
  '^/': 'api',
  '^[0-9a-fA-F.:]+/[0-9]{1,3}$': '10.0.0.0'
}
