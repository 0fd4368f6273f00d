package dev.minke.registry;

import java.util.List;

/** The registry wants credentials Minke does not have, or refused the ones it sent. */
public class RegistryAuthException extends RegistryException {
  public RegistryAuthException(String registry, String repository, int status, List<String> codes,
      String detail) {
    super(registry, repository, status, codes,
        (status == 403 ? "access to " : "authentication to ")
            + where(registry, repository) + " was refused (HTTP " + status + ")"
            + (detail == null || detail.isEmpty() ? "" : ": " + detail),
        "run `minke login " + loginName(registry) + "`, and check that the repository exists and you may"
            + " use it",
        null);
  }

  public RegistryAuthException(String registry, String repository, int status) {
    this(registry, repository, status, List.of(), null);
  }

  /** The name a user logs in to: Docker Hub's API host is known as docker.io. */
  static String loginName(String registry) {
    return registry.equals("registry-1.docker.io") ? "docker.io" : registry;
  }

  @Override
  public boolean temporary() {
    return false;
  }
}
