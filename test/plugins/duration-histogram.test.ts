import t from 'tap'
import fc from 'fast-check'
import { Histogram, Registry } from 'prom-client'
import { RequestDurationHistogram } from '../../src/plugins/duration-histogram.js'
import { REQUEST_DURATION_BUCKETS_SECONDS, createMetrics } from '../../src/plugins/metrics.js'

const NAME = 'http_request_duration_seconds'
const HELP = 'HTTP request duration in seconds, by method, route template and status code.'

/** The same observations through prom-client's Histogram and through ours, each in a registry of its own. */
async function bothExpositions (observations: Array<{ method: string, route: string, statusCode: number, seconds: number }>): Promise<{ ours: string, theirs: string, oursJson: unknown, theirsJson: unknown }> {
  const theirRegistry = new Registry()
  const theirs = new Histogram({ name: NAME, help: HELP, labelNames: ['method', 'route', 'status_code'] as const, buckets: [...REQUEST_DURATION_BUCKETS_SECONDS], registers: [theirRegistry] })
  const ours = createMetrics()
  for (const { method, route, statusCode, seconds } of observations) {
    theirs.observe({ method, route, status_code: statusCode }, seconds)
    ours.httpRequestDuration.observe(`${method} ${route} ${statusCode}`, method, route, statusCode, seconds)
  }
  const withoutExemplars = (values: object[]): unknown => values.map((value) => { const { exemplar: _exemplar, ...rest } = value as { exemplar?: unknown }; return rest })
  return {
    ours: await ours.registry.getSingleMetricAsString(NAME),
    theirs: await theirRegistry.getSingleMetricAsString(NAME),
    oursJson: withoutExemplars((await ours.httpRequestDuration.get()).values),
    theirsJson: withoutExemplars((await theirs.get()).values)
  }
}

t.test('the exposition is prom-client Histogram\'s, line for line, on random observations', async (t) => {
  const observation = fc.record({
    method: fc.constantFrom('GET', 'POST'),
    route: fc.constantFrom('/estimate/engram', '/tiers/:tier', '__unmatched__', '/a "quoted\\ route"'),
    statusCode: fc.constantFrom(200, 400, 404, 503),
    // bounds themselves, values between them, and beyond the last (counted only in +Inf)
    seconds: fc.oneof(fc.constantFrom(0, ...REQUEST_DURATION_BUCKETS_SECONDS, 3, 120), fc.double({ min: 0, max: 5, noNaN: true }))
  })
  await fc.assert(fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
    const { ours, theirs, oursJson, theirsJson } = await bothExpositions(observations)
    t.equal(ours, theirs)
    t.same(oursJson, theirsJson)
  }), { numRuns: 150 })
})

t.test('hand-counted buckets: one observation on a bound, one between, one beyond the last', async (t) => {
  const histogram = new RequestDurationHistogram(NAME, HELP, [0.1, 1])
  histogram.observe('k', 'GET', '/x', 200, 0.1)
  histogram.observe('k', 'GET', '/x', 200, 0.5)
  histogram.observe('k', 'GET', '/x', 200, 7)
  const { values } = await histogram.get()
  t.same(values.map((value) => [value.metricName, value.labels.le, value.value]), [
    [`${NAME}_bucket`, 0.1, 1], // le is inclusive: 0.1 counts in 0.1
    [`${NAME}_bucket`, 1, 2],
    [`${NAME}_bucket`, '+Inf', 3],
    [`${NAME}_sum`, undefined, 7.6],
    [`${NAME}_count`, undefined, 3]
  ])
  histogram.reset()
  t.same((await histogram.get()).values, [])
})
