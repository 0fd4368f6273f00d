package dev.minke.registry;

import dev.minke.error.MinkeException;
import java.util.List;

/**
 * A registry refused or failed a request: the HTTP status (0 when no response came) and the error
 * codes of the registry's error body ({@code MANIFEST_UNKNOWN}, {@code DENIED}, …).
 *
 * <p>{@link #temporary()} says whether trying again may help; the client's retries read it, never
 * the message.
 */
public class RegistryException extends MinkeException {
  private final String registry;
  private final String repository;
  private final int status;
  private final List<String> codes;
  private long retryAfterMillis;
  private boolean permanent;

  public RegistryException(String registry, String repository, int status, List<String> codes,
      String problem, String hint, Throwable cause) {
    super(problem, hint, cause);
    this.registry = registry;
    this.repository = repository;
    this.status = status;
    this.codes = List.copyOf(codes);
  }

  /** A response with an unexpected status, described by the registry's error codes. */
  static RegistryException of(String registry, String repository, String action, int status,
      List<RegistryErrors.Diagnostic> errors) {
    List<String> codes = errors.stream().map(RegistryErrors.Diagnostic::code).toList();
    String detail = errors.isEmpty() ? "" : ": " + RegistryErrors.describe(errors);
    String hint = status == 429 || status >= 500
        ? "the registry is busy or failing; try again later"
        : "check the image name and that the registry supports the OCI distribution API";
    return new RegistryException(registry, repository, status, codes,
        action + " " + where(registry, repository) + " failed with HTTP " + status + detail, hint, null);
  }

  static String where(String registry, String repository) {
    return repository == null || repository.isEmpty() ? registry : registry + "/" + repository;
  }

  /** How long the registry asked to wait (Retry-After) before the next attempt; 0 if it did not say. */
  long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** Marks a failure that no retry can fix, whatever its status says (an oversized answer). */
  RegistryException permanent() {
    this.permanent = true;
    return this;
  }

  RegistryException withRetryAfterMillis(long millis) {
    this.retryAfterMillis = millis;
    return this;
  }

  /** The registry host, e.g. {@code registry-1.docker.io} or {@code localhost:5000}. */
  public String registry() {
    return registry;
  }

  /** The repository, e.g. {@code library/busybox}; empty for registry-wide calls. */
  public String repository() {
    return repository;
  }

  /** The HTTP status, or 0 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /** The registry's error codes, e.g. {@code [MANIFEST_UNKNOWN]}. */
  public List<String> codes() {
    return codes;
  }

  /**
   * Whether the same request may succeed later: no response at all, 408, 429 (too many requests)
   * and 5xx except 501 (go-containerregistry's {@code transport.Error.Temporary}).
   */
  public boolean temporary() {
    return !permanent && (status == 0 || status == 408 || status == 429
        || (status >= 500 && status != 501 && status < 600)
        || codes.contains("TOOMANYREQUESTS"));
  }
}
