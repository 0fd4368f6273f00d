package dev.minke.cli;

import dev.minke.store.FsckReport;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.List;

/** {@code minke fsck}: checks every reference, blob and snapshot; exits 1 when something is wrong. */
final class FsckCommand implements Command {
  @Override
  public String usage() {
    return "fsck";
  }

  @Override
  public String summary() {
    return "Check every reference, blob digest and snapshot of the store";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Args.none(args);
    FsckReport report = Store.openDefault().fsck();
    report.problems().forEach(p -> out.println("problem: " + p));
    report.notes().forEach(n -> out.println("note: " + n));
    out.println(report);
    return report.ok() ? 0 : 1;
  }
}
