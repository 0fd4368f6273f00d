package dev.minke.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry; {@link #toString()} hides the password. */
public record Credential(String username, String password) {
  /** The value of an {@code Authorization: Basic} header. */
  String basicHeader() {
    return "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credential[" + username + ", ****]"; // Never print a password.
  }
}
