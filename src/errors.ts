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
