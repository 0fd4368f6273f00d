package dev.minke.cli;

/** Wrong arguments for a verb: Main prints the message and the verb's usage line. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
