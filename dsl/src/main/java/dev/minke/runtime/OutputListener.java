package dev.minke.runtime;

/** Receives a container's output as it is written; front ends print or display it. */
public interface OutputListener {
  /** A chunk of standard output (bytes as written, not split into lines). */
  void stdout(byte[] chunk, int length);

  /** A chunk of standard error. */
  void stderr(byte[] chunk, int length);

  /** Ignores everything (the output is still in the result and the logs). */
  OutputListener NONE = new OutputListener() {
    @Override
    public void stdout(byte[] chunk, int length) {}

    @Override
    public void stderr(byte[] chunk, int length) {}
  };
}
