import { isDeepStrictEqual } from 'node:util'
import t from 'tap'
import { ConfigSchema, configValidator, loadConfig, validatedEnvironment } from '../src/config.js'

t.test('defaults', async (t) => {
  t.match(loadConfig({}), { HOST: '0.0.0.0', PORT: 8080, METRICS_PORT: 9090, LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1_048_576, REQUEST_TIMEOUT_MS: 10_000, SHUTDOWN_DELAY_MS: 5000, WORKER_THREADS: 0, WORKER_TASK_TIMEOUT_MS: 15_000, MAX_EVENT_LOOP_UTILIZATION: 0.9, SHED_TARGET_DELAY_MS: 50, PRESSURE_SAMPLE_INTERVAL_MS: 100, MEMORY_LIMIT_BYTES: 0, MAX_RSS_BYTES: 0 })
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

t.test('the same configuration, or the same error, as env-schema itself (which the validator used to be)', async (t) => {
  const { envSchema } = await import('env-schema')
  const fc = (await import('fast-check')).default
  const compiledNow = configValidator(new URL('file:///nonexistent/config-validator.cjs'))
  const names = Object.keys(ConfigSchema.properties)
  const value = fc.oneof(
    fc.integer({ min: -10, max: 200_000 }).map(String),
    fc.double({ min: -1, max: 2, noNaN: true }).map(String),
    fc.constantFrom('', ' ', 'true', 'false', '0', '1e3', '0x10', 'abc', 'info', 'loud', '127.0.0.1', 'https://a.example', 'https://a.example,http://b', 'a'.repeat(16)),
    fc.string({ maxLength: 8 })
  )
  const environment = fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.constantFrom('UNKNOWN_VARIABLE', 'NODE_ENV')), value, { maxKeys: 6 })
  const outcome = (run: () => unknown): unknown => {
    try { return { config: run() } } catch (error) { return { error: (error as Error).message } }
  }
  let rejected = 0
  t.doesNotThrow(() => fc.assert(fc.property(environment, (env) => {
    const expected = outcome(() => envSchema({ schema: { ...ConfigSchema }, data: env, dotenv: false }))
    if ('error' in (expected as object)) rejected++
    return isDeepStrictEqual(outcome(() => validatedEnvironment(env)), expected) && isDeepStrictEqual(outcome(() => validatedEnvironment(env, compiledNow)), expected)
  }), { numRuns: 200 }), 'generated/ and compiled now, both as env-schema')
  t.ok(rejected > 20 && rejected < 180, `valid and invalid environments both tried (${rejected} of 200 invalid)`)
})
