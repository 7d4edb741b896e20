// Every error the service raises itself, defined once.
import createError from '@fastify/error'

export const NotAcceptableError = createError<[string, string]>('NOT_ACCEPTABLE', 'Accept header %s: this route answers %s', 406)
export const RouteNotFoundError = createError<[string, string]>('NOT_FOUND', 'Route %s %s not found', 404)
export const EmptyQueryValueError = createError<[string]>('FST_ERR_VALIDATION', 'querystring/%s must not be empty', 400)
export const TierNotFoundError = createError<[string, string]>('TIER_NOT_FOUND', 'Tier "%s" not found: valid tiers are %s', 404)
export const TierNotHighlyAvailableError = createError<[string]>('TIER_NOT_HA', '%s', 409)
export const ValuesDocumentError = createError<[string]>('FST_ERR_VALIDATION', '%s', 400)
export const InvalidYamlError = createError<[string]>('INVALID_YAML', 'body is not a valid YAML document: %s', 400)
export const AnalysisInputError = createError<[string]>('FST_ERR_VALIDATION', '%s', 400)
export const WorkersBusyError = createError<[number]>('WORKERS_BUSY', 'every worker is busy and %d requests are waiting: retry later', 503)
export const TaskTimeoutError = createError<[number]>('TASK_TIMEOUT', 'the answer took longer than the %d ms budget and was abandoned: ask for less (fewer points or outputs) or retry later', 503)
export const WorkerFailedError = createError<[string]>('WORKER_FAILED', 'the worker answering this request stopped (%s): retry later', 503)
export const BudgetExceededError = createError<[string]>('BUDGET_EXCEEDED', '%s', 422)
export const PrometheusNotConfiguredError = createError('PROMETHEUS_NOT_CONFIGURED', 'body/series is required: this service has no PROMETHEUS_URL configured to read series from (send them inline, as Prometheus\'s query_range answers them)', 400)
export const NoSeriesError = createError<[string]>('NO_SERIES', '%s', 422)
