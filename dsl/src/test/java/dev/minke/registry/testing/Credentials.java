package dev.minke.registry.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password the test registries accept. */
public record Credentials(String user, String password) {
  /** {@code Basic base64(user:password)}, the value of an Authorization header. */
  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code user:password}, as skopeo's {@code --creds} takes it. */
  public String colonForm() {
    return user + ":" + password;
  }

  @Override
  public String toString() {
    return "Credentials[" + user + ":***]";
  }
}
