package tech.infernet.protocol.spec;

/**
 * Stable reasons a job spec (ours, or a Nosana definition being imported) is refused. The wire
 * name travels as the {@code detail} of an {@code invalid_spec} error; never rename, only add.
 */
public enum SpecError {
  /** Not well-formed JSON. */
  MALFORMED_JSON("malformed_json"),
  /** Larger than allowed. */
  TOO_LARGE("too_large"),
  /** JSON nested deeper than allowed. */
  TOO_DEEP("too_deep"),
  /** The same key twice in one object. */
  DUPLICATE_FIELD("duplicate_field"),
  /** A field the format does not define. */
  UNKNOWN_FIELD("unknown_field"),
  /** A required field is absent. */
  MISSING_FIELD("missing_field"),
  /** A field has the wrong JSON type. */
  WRONG_TYPE("wrong_type"),
  /** A value outside its allowed set or range. */
  BAD_VALUE("bad_value"),
  /** A spec version this code does not know. */
  UNSUPPORTED_VERSION("unsupported_version"),
  /** The image reference does not match the image-name grammar. */
  BAD_IMAGE_NAME("bad_image_name"),
  /** The command is not an argv array of strings (for example one shell string). */
  COMMAND_NOT_ARGV("command_not_argv"),
  /** NUL, a control character or another forbidden character in a string. */
  FORBIDDEN_CHARACTER("forbidden_character"),
  /** Too many command elements or env entries, or one of them too long. */
  TOO_MANY_ITEMS("too_many_items"),
  /** An environment variable name outside {@code [A-Za-z_][A-Za-z0-9_]*}. */
  BAD_ENV_NAME("bad_env_name"),
  /** A Nosana definition uses a feature that has no equivalent here; the field says which. */
  NOT_MAPPABLE("not_mappable");

  private final String wireName;

  SpecError(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
