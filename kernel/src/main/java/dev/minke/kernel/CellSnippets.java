package dev.minke.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Finds the snippet of a cell that holds a cursor: JShell completes and documents one snippet at
 * a time, a cell may hold many.
 */
final class CellSnippets {
  private CellSnippets() {}

  /** The snippet around {@code cursor}: its text, the cursor inside it, and where it starts in the cell. */
  record Located(String source, int cursor, int offset) {}

  static Located locate(JShell shell, String cell, int cursor) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    int start = 0;
    while (start < cell.length()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell.substring(start));
      int end = cell.length() - info.remaining().length();
      if (!info.completeness().isComplete() || info.remaining().isBlank() || end >= cursor || end <= start) {
        break; // The cursor is in this snippet (or in the unfinished last one).
      }
      start = end;
    }
    return new Located(cell.substring(start), cursor - start, start);
  }
}
