package dev.minke.kernel;

/** The kernel's version, from the jar's manifest (the Maven project version). */
final class KernelVersion {
  static final String VERSION = versionOf();

  private KernelVersion() {}

  private static String versionOf() {
    String version = KernelVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
