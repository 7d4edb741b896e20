// The request duration histogram, recorded without prom-client on the request path. prom-client's
// Histogram#observe converts, validates and hashes the labels on every call, even through a kept
// labelled child: about 8% of a request's CPU in the bench's (a') (docs/operations.md). Here a
// request costs a Map lookup by a string key and a bucket search; the exposition is built only when
// the registry is scraped, in prom-client's own shape, so /metrics prints the same lines
// (test/plugins/duration-histogram.test.ts compares the two on random observations).

type LabelName = 'method' | 'route' | 'status_code'
type Labels = Record<LabelName, string | number>

interface Series {
  labels: Labels
  /** Observations per bucket, not cumulative; the last counts those above every bound (+Inf only). */
  countsByBucket: Float64Array
  sumSeconds: number
  count: number
}

/** A line of the exposition, as prom-client's metrics give it: the labels merged (get). */
export interface DurationValue {
  metricName: string
  labels: Record<string, string | number>
  value: number
}

/** The same with the bucket's own label apart from the series' labels, as prom-client's registry formats it. */
interface ExportedValue extends DurationValue {
  sharedLabels: Labels
}

export interface DurationMetric<V> {
  name: string
  help: string
  type: 'histogram'
  values: V[]
  aggregator: 'sum'
}

export class RequestDurationHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly seriesByKey = new Map<string, Series>()

  constructor (readonly name: string, readonly help: string, readonly upperBoundsSeconds: readonly number[]) {}

  /** One request's duration. `key` must identify (method, route, statusCode): the caller's cache key. */
  observe (key: string, method: string, route: string, statusCode: number, seconds: number): void {
    let series = this.seriesByKey.get(key)
    if (series === undefined) {
      series = { labels: { method, route, status_code: statusCode }, countsByBucket: new Float64Array(this.upperBoundsSeconds.length + 1), sumSeconds: 0, count: 0 }
      this.seriesByKey.set(key, series)
    }
    let bucket = 0
    while (bucket < this.upperBoundsSeconds.length && seconds > this.upperBoundsSeconds[bucket]) bucket++
    series.countsByBucket[bucket]++
    series.sumSeconds += seconds
    series.count++
  }

  /** What prom-client's registry formats (Histogram#getForPromString's shape). */
  async getForPromString (): Promise<DurationMetric<ExportedValue>> {
    const values: ExportedValue[] = []
    for (const series of this.seriesByKey.values()) {
      let cumulative = 0
      this.upperBoundsSeconds.forEach((bound, bucket) => {
        cumulative += series.countsByBucket[bucket]
        values.push({ labels: { le: bound }, sharedLabels: series.labels, value: cumulative, metricName: `${this.name}_bucket` })
      })
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: series.labels, value: series.count, metricName: `${this.name}_bucket` },
        { labels: {}, sharedLabels: series.labels, value: series.sumSeconds, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: series.labels, value: series.count, metricName: `${this.name}_count` }
      )
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }

  /** Every value with its series' labels merged in (Histogram#get's shape). */
  async get (): Promise<DurationMetric<DurationValue>> {
    const metric = await this.getForPromString()
    return { ...metric, values: metric.values.map(({ sharedLabels, labels, ...value }) => ({ ...value, labels: { ...labels, ...sharedLabels } })) }
  }

  reset (): void {
    this.seriesByKey.clear()
  }
}
