package dev.minke.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Dockerfile instruction as BuildKit's parser sees it: the keyword, the {@code --flags}, and
 * the arguments split the way that keyword splits them (see {@link Dockerfile}).
 *
 * <p>Arguments are not expanded: {@code $VAR}, quotes and escapes are as written, except in the
 * JSON (exec) form, whose strings are decoded. ENV and LABEL arguments come in threes (key,
 * value, and "=" or "" for the legacy {@code ENV key value} form); read them with {@link
 * #pairs()}.
 *
 * @param keyword the instruction in lower case, e.g. {@code run}
 * @param flags the flags as written, e.g. {@code --from=build}
 * @param args the arguments; empty for ONBUILD, whose instruction is {@code trigger}
 * @param trigger the instruction inside ONBUILD, or null
 * @param jsonForm the arguments were a JSON array (exec form)
 * @param heredocs here-documents of RUN, COPY and ADD, in order
 * @param original the logical line, continuation lines joined
 * @param startLine the first line (1-based) in the file
 * @param endLine the last line, heredoc bodies included
 * @param comments the comment lines just before the instruction, without {@code #}
 */
public record Instruction(String keyword, List<String> flags, List<String> args,
    Instruction trigger, boolean jsonForm, List<Heredoc> heredocs, String original,
    int startLine, int endLine, List<String> comments) {

  public Instruction {
    keyword = keyword.toLowerCase(Locale.ROOT);
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
    comments = List.copyOf(comments);
  }

  /** An ENV or LABEL pair, or an ARG with its default. */
  public record Pair(String key, String value, boolean legacyForm) {}

  /** ENV and LABEL arguments as pairs; the legacy form {@code ENV key value} gives one pair. */
  public List<Pair> pairs() {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i += 3) {
      String separator = i + 2 < args.size() ? args.get(i + 2) : "";
      pairs.add(new Pair(args.get(i), args.get(i + 1), separator.isEmpty()));
    }
    return pairs;
  }

  /** The value of {@code --name=value} (the last one if repeated), or empty. */
  public Optional<String> flag(String name) {
    String prefix = "--" + name + "=";
    Optional<String> value = Optional.empty();
    for (String flag : flags) {
      if (flag.startsWith(prefix)) {
        value = Optional.of(flag.substring(prefix.length()));
      } else if (flag.equals("--" + name)) {
        value = Optional.of("true");
      }
    }
    return value;
  }

  /** Every value of a repeatable flag such as {@code --mount}. */
  public List<String> flagValues(String name) {
    String prefix = "--" + name + "=";
    return flags.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).toList();
  }

  /** BuildKit's AST dump of this instruction, e.g. {@code copy ["--from=build"] "a" "/b"}. */
  public String dump() {
    StringBuilder out = new StringBuilder(keyword);
    if (!flags.isEmpty()) {
      out.append(' ').append(GoText.quoteList(flags));
    }
    for (String arg : args) {
      out.append(' ').append(GoText.quote(arg));
    }
    if (trigger != null) {
      out.append(" (").append(trigger.dump()).append(')');
    }
    return GoText.trimSpace(out.toString());
  }
}
