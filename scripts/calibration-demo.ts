// npm run calibration-demo: a Prometheus (Debian's prometheus package) serving the tests' generated
// week of Engram and Aeterna series (test/prometheus/fixture.ts: 2025-01-01 to 2025-01-08, one sample
// a minute, formulas documented there), for trying the /calibrate routes and `sizing calibrate` by
// hand (README, Calibration). Stops on Ctrl-C.
import { prometheusMissing, startPrometheus } from '../test/prometheus/fixture.js'

if (prometheusMissing !== undefined) {
  process.stderr.write(`calibration-demo: ${prometheusMissing}\n`)
  process.exit(1)
}
const prometheus = await startPrometheus()
process.stdout.write(`Prometheus with the generated week at ${prometheus.url} (Ctrl-C stops it)

  PROMETHEUS_URL=${prometheus.url} npm start
  curl -s localhost:8080/calibrate/engram -H 'content-type: application/json' \\
    -d '{"match": "{instance=\\"engram-0\\"}", "end": "2025-01-08T00:00:00Z"}'
  npx sizing calibrate engram --prometheus ${prometheus.url} --end 2025-01-08T00:00:00Z --match '{instance="engram-0"}' --format text
`)
const stop = (): void => { prometheus.stop().then(() => process.exit(0), () => process.exit(1)) }
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
