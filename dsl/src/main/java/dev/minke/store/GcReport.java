package dev.minke.store;

/** What garbage collection removed. */
public record GcReport(int blobsRemoved, long bytesFreed, int snapshotsRemoved, int scratchRemoved) {
  @Override
  public String toString() {
    return "removed " + blobsRemoved + " blobs (" + bytesFreed + " bytes), " + snapshotsRemoved
        + " snapshots, " + scratchRemoved + " leftover temp files";
  }
}
