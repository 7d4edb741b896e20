// The service's whole configuration: environment variables, validated once at start, as env-schema
// validates them (its settings, its merge, its messages) but with the validator compiled ahead of
// time (generated/config-validator.cjs): building env-schema's ajv instance and compiling the schema
// was a tenth of a cold start. test/config.test.ts checks every answer against env-schema's own.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject, type Options as AjvOptions } from 'ajv'
import { type Static, Type } from 'typebox'

export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '0.0.0.0', minLength: 1, description: 'Address the API listens on.' }),
  PORT: Type.Integer({ default: 8080, minimum: 1, maximum: 65535, description: 'API port.' }),
  METRICS_PORT: Type.Integer({ default: 9090, minimum: 1, maximum: 65535, description: 'Prometheus /metrics port (separate listener).' }),
  LOG_LEVEL: Type.Unsafe<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'>({
    type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino log level.'
  }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600, description: 'Largest accepted request body; larger gets 413.' }),
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 600_000, description: 'Time a client has to send a whole request.' }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 1000, maximum: 600_000, description: 'Idle keep-alive connection timeout (above typical load balancer idle timeouts of 60 s).' }),
  SHUTDOWN_DELAY_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 120_000, description: 'After SIGTERM: time /readyz reports 503 and every response says Connection: close while requests are still served, before the listener closes (the chart\'s terminationGracePeriodSeconds covers preStop + this + SHUTDOWN_TIMEOUT_MS).' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1000, maximum: 600_000, description: 'After SIGTERM: longest wait for in-flight requests before exiting non-zero.' }),
  CONNECTION_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000, description: 'Socket timeout: a connection idle this long mid-request is closed.' }),
  MAX_EVENT_LOOP_UTILIZATION: Type.Number({ default: 0.9, minimum: 0, maximum: 1, description: 'Load shedding on waiting time: only while the main thread was busy more than this share of a sampling interval does a standing queue (SHED_TARGET_DELAY_MS) raise the share of requests refused with 503 OVERLOADED before routing (0: off). Since issue 29 a gate, no longer a limit on its own.' }),
  SHED_TARGET_DELAY_MS: Type.Integer({ default: 50, minimum: 1, maximum: 10_000, description: 'Load shedding: the waiting time aimed at. While the shortest event-loop delay of a sampling interval stays above it (a queue that never drains, as CoDel reads it), the share of requests refused rises; below it, it falls back to 0. A closed loop of 32 connections makes turns of a few ms; 50 ms keeps an admitted request within a few turns of its arrival.' }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1000, minimum: 0, maximum: 60_000, description: 'Load shedding: above this longest event-loop delay in a sampling interval, refuse every request (503 with Retry-After) until the next sample (0: off).' }),
  PRESSURE_SAMPLE_INTERVAL_MS: Type.Integer({ default: 100, minimum: 50, maximum: 60_000, description: 'Load shedding: how often event-loop delay, utilisation and memory are sampled and the share of requests refused adjusted (from the moment the service is ready: start-up work never counts).' }),
  MEMORY_LIMIT_BYTES: Type.Integer({ default: 0, minimum: 0, description: 'The memory the service must stay under; 0: the container\'s cgroup limit (v2 memory.max, v1 memory.limit_in_bytes), else the host\'s memory. Sets the default of MAX_RSS_BYTES and the worker threads\' heap limits.' }),
  MAX_HEAP_USED_BYTES: Type.Integer({ default: 0, minimum: 0, description: 'Load shedding: above this heap, answer 503 (0: off).' }),
  MAX_RSS_BYTES: Type.Integer({ default: 0, minimum: 0, description: 'Load shedding: above this resident set size, refuse every request with 503; request bodies are admitted only while their estimated memory fits below it (503 MEMORY_BUSY, 413 MEMORY_LIMIT). 0: 85% of the memory limit (MEMORY_LIMIT_BYTES).' }),
  PRESSURE_RETRY_AFTER_S: Type.Integer({ default: 10, minimum: 1, maximum: 3600, description: 'Retry-After of every 503 given for load (OVERLOADED, WORKERS_BUSY, TASK_TIMEOUT, WORKER_FAILED).' }),
  WORKER_THREADS: Type.Integer({ default: 0, minimum: 0, maximum: 64, description: 'Worker threads for requests whose cost grows with the input (sweeps, sensitivity, diff, large documents); 0: one less than the CPUs available, at least 1. Set it to the container\'s CPU limit minus one.' }),
  WORKER_SMALL_THREADS: Type.Integer({ default: 1, minimum: 0, maximum: 8, description: 'Worker threads besides WORKER_THREADS that only small requests use (an analysis estimated at 100 ms or less), so one never waits for a large one to end; 0: none (small requests still go ahead of waiting large ones).' }),
  WORKER_QUEUE_MAX: Type.Integer({ default: 0, minimum: 0, maximum: 10_000, description: 'Heavy requests that may wait for a worker; one more gets 503 with Retry-After at once. 0: 4 per worker thread.' }),
  WORKER_TASK_TIMEOUT_MS: Type.Integer({ default: 15_000, minimum: 100, maximum: 600_000, description: 'Longest a heavy request may run in a worker; past it the worker is ended and the answer is 503.' }),
  ANALYSIS_BUDGET_MS: Type.Integer({ default: 2000, minimum: 1, maximum: 600_000, description: 'Time one sweep, sensitivity or diff may take, estimated before it runs from each model\'s measured cost per point: past it a 422 BUDGET_EXCEEDED names the largest request that fits; an answer still running at twice it is cut, marked (truncated). Keep it well under WORKER_TASK_TIMEOUT_MS.' }),
  OFFLOAD_BODY_BYTES: Type.Integer({ default: 16_384, minimum: 0, maximum: 104_857_600, description: 'Request bodies larger than this are parsed and answered in a worker thread, whatever the route.' }),
  API_TOKEN: Type.String({ default: '', description: 'When set, every route but /healthz and /readyz needs Authorization: Bearer <token>.' }),
  DOCS_PUBLIC: Type.Boolean({ default: true, description: 'With API_TOKEN set: whether /docs (Swagger UI, whose Authorize button takes the token) and /openapi.json stay readable without it.' }),
  API_TOKEN_FILE: Type.String({ default: '', description: 'File holding the API token (a mounted secret); used when API_TOKEN is empty.' }),
  CORS_ORIGINS: Type.String({ default: '', description: 'Comma-separated origins allowed by CORS; empty: CORS off.' }),
  RATE_LIMIT_MAX: Type.Integer({ default: 0, minimum: 0, description: 'Requests per client per window (0: no rate limit).' }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1000, maximum: 86_400_000, description: 'Rate limit window.' }),
  PROMETHEUS_URL: Type.String({ default: '', pattern: '^(https?://[^\\s]+)?$', description: 'Prometheus server the /calibrate routes read series from (its HTTP API, query_range), e.g. http://prometheus.monitoring:9090; empty: the routes take the series inline only. Configuration only: a request never names a server.' }),
  PROMETHEUS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000, description: 'Longest a /calibrate request waits for Prometheus, all its queries together (series counts and range queries, connections and whole answers); past it the answer is 504. Keep it below WORKER_TASK_TIMEOUT_MS: calibrations run in a worker.' }),
  PROMETHEUS_MAX_BYTES: Type.Integer({ default: 33_554_432, minimum: 1024, maximum: 1_073_741_824, description: 'Most bytes a /calibrate request reads from Prometheus, all its answers together (series counts and range queries), counted as they stream in; past it every query is cut off and the answer is 502.' }),
  PROMETHEUS_MAX_POINTS: Type.Integer({ default: 500_000, minimum: 1000, maximum: 20_000_000, description: 'Most points (samples) a /calibrate request reads from Prometheus, all its series together, counted as answers stream in: the step is coarsened to fit; a selection too large for any step of 100 points a series, or answers holding more, get 422. Memory: about 180-260 MiB a million points while a calibration runs (docs/operations.md, Calibration budget).' })
}, { additionalProperties: true })

export type Config = Static<typeof ConfigSchema>

/** env-schema's validator settings (its getDefaultInstance): coerced, defaults filled, every error, unknown variables removed. */
export const CONFIG_AJV_OPTIONS: AjvOptions = { allErrors: true, removeAdditional: true, useDefaults: true, coerceTypes: true, allowUnionTypes: true, addUsedSchema: false }

/** The schema as env-schema validates it: closed (it sets additionalProperties to false), so only the variables above are kept. */
export const CONFIG_ENV_SCHEMA = { ...ConfigSchema, additionalProperties: false }

type ConfigValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }

/** Where `npm run compile-schemas` writes the configuration's validator (as generated/'s other validators). */
export const CONFIG_VALIDATOR_URL = new URL('../generated/config-validator.cjs', import.meta.url)

/** The validator compiled ahead of time, or compiled now with the same settings when generated/ has none. */
export function configValidator (compiled: URL = CONFIG_VALIDATOR_URL): ConfigValidator {
  if (existsSync(compiled)) return (createRequire(compiled)(fileURLToPath(compiled)) as { config: ConfigValidator }).config
  return new Ajv(CONFIG_AJV_OPTIONS).compile(CONFIG_ENV_SCHEMA)
}

/** ajv's errorsText with env-schema's data name: "env/PORT must be <= 65535, env/HOST ...". */
function errorsText (errors: readonly ErrorObject[]): string {
  return errors.map((error) => `env${error.instancePath} ${String(error.message)}`).join(', ')
}

/**
 * What env-schema does with `{ schema, data: env, dotenv: false }`: the process's environment with
 * `env` over it, validated (coerced, defaults filled, unknown variables removed); an Error naming
 * every variable that breaks a rule.
 */
export function validatedEnvironment (env: NodeJS.ProcessEnv, validate: ConfigValidator = configValidator()): Config {
  const merged: Record<string, unknown> = { ...process.env, ...env }
  if (!validate(merged)) throw new Error(errorsText(validate.errors as ErrorObject[]))
  return merged as Config
}

/** API_TOKEN, or the trimmed content of API_TOKEN_FILE. */
function resolveToken (config: Config): string {
  if (config.API_TOKEN !== '' || config.API_TOKEN_FILE === '') return config.API_TOKEN
  try {
    return readFileSync(config.API_TOKEN_FILE, 'utf8').trim()
  } catch (error) {
    throw new Error(`env/API_TOKEN_FILE cannot be read: ${(error as Error).message}`)
  }
}

/** Reads and validates the environment; throws an Error naming the variable and the rule. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const config = validatedEnvironment(env)
  if (config.PORT === config.METRICS_PORT) {
    throw new Error(`env/METRICS_PORT must differ from PORT (both ${config.PORT})`)
  }
  const token = resolveToken(config)
  if (token !== '' && token.length < 16) throw new Error('env/API_TOKEN must be at least 16 characters')
  const badOrigin = corsOrigins(config).find((origin) => !/^https?:\/\/[^\s/]+$/.test(origin))
  if (badOrigin !== undefined) throw new Error(`env/CORS_ORIGINS must list origins like https://portal.example.com (got "${badOrigin}")`)
  return { ...config, API_TOKEN: token }
}

export function corsOrigins (config: Pick<Config, 'CORS_ORIGINS'>): string[] {
  return config.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
}
