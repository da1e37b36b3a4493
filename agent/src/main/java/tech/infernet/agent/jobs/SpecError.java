package tech.infernet.agent.jobs;

/**
 * Stable error codes for job specs that fail validation. A spec that fails validation creates no
 * job at all. Codes are part of the API: never rename one, only add.
 */
public enum SpecError {
  /** The body is not well-formed JSON. */
  MALFORMED_JSON,
  /** The spec text is larger than the configured maximum. */
  SPEC_TOO_LARGE,
  /** JSON nested deeper than allowed. */
  TOO_DEEP,
  /** The top level (or a field that must be an object) is not a JSON object. */
  NOT_AN_OBJECT,
  /** A field that the spec format does not define. */
  UNKNOWN_FIELD,
  /** The same field appears twice in one object. */
  DUPLICATE_FIELD,
  /** A required field is absent. */
  MISSING_FIELD,
  /** A field has the wrong JSON type. */
  WRONG_TYPE,
  /** A field has a value outside its allowed set or range. */
  BAD_VALUE,
  /** The image reference does not match the image-name grammar. */
  BAD_IMAGE_NAME,
  /** {@code args} is not an argv array of strings (for example a single shell command string). */
  ARGS_NOT_ARGV,
  /** A string contains NUL, a control character or another forbidden character. */
  FORBIDDEN_CHARACTER,
  /** Too many args, env entries or inputs, or one of them too long. */
  TOO_MANY_ITEMS,
  /** Inline inputs larger in total than allowed. */
  INPUT_TOO_LARGE,
  /** An environment variable name outside [A-Za-z_][A-Za-z0-9_]*. */
  BAD_ENV_NAME,
  /** An input file name that is not a plain file name. */
  BAD_INPUT_NAME,
  /** The job owner is not a valid identity string. */
  BAD_OWNER
}
