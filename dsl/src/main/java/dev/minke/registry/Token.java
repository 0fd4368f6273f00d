package dev.minke.registry;

/** A bearer token and when to stop using it. */
record Token(String value, long expiresAtMillis) {
  boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  @Override
  public String toString() {
    return "Token[****, expires " + expiresAtMillis + "]";
  }
}
