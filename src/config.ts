// The service's whole configuration: environment variables, validated once at start.
import { envSchema } from 'env-schema'
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
  SHUTDOWN_DELAY_MS: Type.Integer({ default: 0, minimum: 0, maximum: 120_000, description: 'After SIGTERM: time /readyz reports 503 while requests are still served, before the listener closes.' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1000, maximum: 600_000, description: 'After SIGTERM: longest wait for in-flight requests before exiting non-zero.' })
}, { additionalProperties: true })

export type Config = Static<typeof ConfigSchema>

/** Reads and validates the environment; throws an Error naming the variable and the rule. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false })
  if (config.PORT === config.METRICS_PORT) {
    throw new Error(`env/METRICS_PORT must differ from PORT (both ${config.PORT})`)
  }
  return config
}
