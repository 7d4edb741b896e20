import t from 'tap'
import { loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.match(loadConfig({}), { HOST: '0.0.0.0', PORT: 8080, METRICS_PORT: 9090, LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1_048_576, REQUEST_TIMEOUT_MS: 10_000, SHUTDOWN_DELAY_MS: 5000, WORKER_THREADS: 0, WORKER_TASK_TIMEOUT_MS: 15_000, MAX_EVENT_LOOP_UTILIZATION: 0.98 })
})

t.test('values from the environment', async (t) => {
  t.match(loadConfig({ PORT: '3000', METRICS_PORT: '3001', LOG_LEVEL: 'warn', HOST: '127.0.0.1' }), { PORT: 3000, METRICS_PORT: 3001, LOG_LEVEL: 'warn', HOST: '127.0.0.1' })
})

t.test('bad values are rejected with the variable and the rule', async (t) => {
  t.throws(() => loadConfig({ PORT: 'abc' }), /env\/PORT must be integer/)
  t.throws(() => loadConfig({ PORT: '70000' }), /env\/PORT must be <= 65535/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /env\/LOG_LEVEL must be equal to one of the allowed values/)
  t.throws(() => loadConfig({ PORT: '9090' }), /env\/METRICS_PORT must differ from PORT \(both 9090\)/)
  t.throws(() => loadConfig({ BODY_LIMIT_BYTES: '10' }), /env\/BODY_LIMIT_BYTES must be >= 1024/)
})
