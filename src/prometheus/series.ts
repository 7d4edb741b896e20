// src/prometheus/series.ts
/** One series as Prometheus's query_range gives it (resultType matrix), values parsed to numbers. */
export interface Series {
  /** The series' labels, __name__ excluded. */
  labels: Record<string, string>
  /** [unix seconds, value] in time order; value may be NaN, Infinity or -Infinity (Prometheus "NaN", "+Inf", "-Inf"). */
  points: Array<[number, number]>
}
/** The series of each metric, by metric name (e.g. engram_cpu_utilization_percent). */
export type SeriesByMetric = Record<string, Series[]>
