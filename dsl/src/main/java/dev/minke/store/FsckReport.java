package dev.minke.store;

import java.util.List;

/**
 * What {@code fsck} found: problems (the store is damaged: a blob whose content does not match
 * its digest, a missing blob or snapshot, a malformed document) and notes (harmless leftovers
 * such as the temp file of an interrupted write, which {@code gc} removes).
 */
public record FsckReport(List<Problem> problems, List<String> notes, int blobsChecked, int snapshotsChecked) {
  public FsckReport {
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /** One thing wrong: what it is, and which blob, snapshot or reference. */
  public record Problem(Kind kind, String subject, String detail) {
    @Override
    public String toString() {
      return kind.label + " " + subject + ": " + detail;
    }
  }

  /** Kinds of damage. */
  public enum Kind {
    CORRUPT_BLOB("corrupt blob"),
    MISSING_BLOB("missing blob"),
    WRONG_SIZE("wrong size"),
    MALFORMED("malformed"),
    WRONG_DIFF_ID("wrong diff ID"),
    MISSING_SNAPSHOT("missing snapshot"),
    BROKEN_SNAPSHOT("broken snapshot"),
    BAD_LAYOUT("bad layout");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    return (ok() ? "ok" : problems.size() + " problem" + (problems.size() == 1 ? "" : "s")) + ": "
        + blobsChecked + " blobs and " + snapshotsChecked + " snapshots checked";
  }
}
