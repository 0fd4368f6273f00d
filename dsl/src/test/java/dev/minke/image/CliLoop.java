package dev.minke.image;

import dev.minke.cli.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One JVM that runs many {@code minke} command lines, so a test can drive the real command line
 * a hundred times without a hundred JVM start-ups: each input line holds one command's
 * arguments separated by tabs; each output line is {@code exit<TAB>out<TAB>err}, with newlines,
 * tabs and backslashes escaped.
 */
public final class CliLoop {
  private CliLoop() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream reply = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      List<String> command = Arrays.asList(line.split("\t"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(command, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      reply.println(code + "\t" + escape(out.toString(StandardCharsets.UTF_8)) + "\t"
          + escape(err.toString(StandardCharsets.UTF_8)));
    }
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
  }

  static String unescape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
