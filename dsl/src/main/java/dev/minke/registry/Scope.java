package dev.minke.registry;

/** A token scope, e.g. {@code repository:library/busybox:pull,push}. */
record Scope(String repository, String actions) {
  static Scope pull(String repository) {
    return new Scope(repository, "pull");
  }

  static Scope push(String repository) {
    return new Scope(repository, "pull,push");
  }

  @Override
  public String toString() {
    return "repository:" + repository + ":" + actions;
  }
}
