// The validator settings of every request part, shared by the routes and by the analyses that
// validate scenarios inside a request body (/diff, /sweep, /sensitivity).
import { Ajv, type Options as AjvOptions } from 'ajv'

const AJV_COMMON: AjvOptions = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false }

/** Bodies are not coerced ("12" stays a string and is rejected) and unknown fields are rejected. */
export const createBodyAjv = (extra: AjvOptions = {}): Ajv => new Ajv({ ...AJV_COMMON, coerceTypes: false, ...extra })

/** Query strings are all text, so they are coerced to the declared types. */
export const createQueryAjv = (extra: AjvOptions = {}): Ajv => new Ajv({ ...AJV_COMMON, coerceTypes: true, ...extra })
