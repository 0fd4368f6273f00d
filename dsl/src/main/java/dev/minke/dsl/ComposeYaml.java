package dev.minke.dsl;

import dev.minke.runtime.MountSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack as a compose file (the Compose Specification), in the small YAML subset it needs:
 * block mappings and block sequences of double-quoted strings.
 *
 * <p>Every user-given string is double-quoted, keys included: a plain {@code yes}, {@code 08:00},
 * {@code null} or {@code 1e3} would otherwise be read as a boolean, a base-60 number, null or a
 * float. Compose interpolates {@code $VAR} in values, so a literal {@code $} is written {@code $$}.
 * Top-level {@code name:} makes the project name the stack's, so compose's own names match
 * Minke's: the network is {@code <stack>} (given as the default network's {@code name}) and a
 * named volume {@code data} is {@code <stack>_data}.
 */
final class ComposeYaml {
  private final StringBuilder out = new StringBuilder();

  private ComposeYaml() {}

  static String of(String stack, List<Service> services) {
    return new ComposeYaml().write(stack, services);
  }

  private String write(String stack, List<Service> services) {
    out.append("name: ").append(quote(stack)).append('\n');
    out.append("services:\n");
    Set<String> namedVolumes = new LinkedHashSet<>();
    for (Service service : services) {
      out.append("  ").append(quote(service.name())).append(":\n");
      scalar(4, "image", value(service.imageText()));
      list(4, "command", service.command());
      if (!service.env().isEmpty()) {
        out.append("    environment:\n");
        for (Map.Entry<String, String> e : service.env().entrySet()) {
          out.append("      ").append(quote(e.getKey())).append(": ").append(value(e.getValue())).append('\n');
        }
      }
      list(4, "volumes", service.volumes().stream().map(ComposeYaml::volumeText).toList());
      list(4, "ports", service.ports());
      list(4, "depends_on", service.dependsOn());
      if (service.hostname() != null) {
        scalar(4, "hostname", value(service.hostname()));
      }
      if (service.init()) {
        scalar(4, "init", "true");
      }
      namedVolumes.addAll(service.namedVolumes());
    }
    out.append("networks:\n  default:\n    name: ").append(value(stack)).append('\n');
    if (!namedVolumes.isEmpty()) {
      out.append("volumes:\n");
      for (String volume : namedVolumes) {
        out.append("  ").append(quote(volume)).append(": {}\n");
      }
    }
    return out.toString();
  }

  private void scalar(int indent, String key, String text) {
    out.append(" ".repeat(indent)).append(key).append(": ").append(text).append('\n');
  }

  private void list(int indent, String key, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    out.append(" ".repeat(indent)).append(key).append(":\n");
    for (String item : items) {
      out.append(" ".repeat(indent + 2)).append("- ").append(value(item)).append('\n');
    }
  }

  /**
   * A volume as compose reads it. A bind's host path is written absolute: compose would take a
   * relative one from the compose file's directory, Minke takes it from the working directory.
   */
  private static String volumeText(String spec) {
    MountSpec mount = Service.mount(spec, "s");
    if (mount.type() != MountSpec.Type.BIND) {
      return spec;
    }
    int colon = spec.indexOf(':');
    return mount.source() + spec.substring(colon);
  }

  /** A value compose interpolates: {@code $} doubled, then quoted. */
  private static String value(String text) {
    return quote(text.replace("$", "$$"));
  }

  /** A YAML double-quoted scalar: backslash, quote and every non-printable character escaped. */
  static String quote(String text) {
    StringBuilder q = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        case '\r' -> q.append("\\r");
        default -> {
          boolean printable = (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029)
              || (c >= 0xe000 && c <= 0xfffd && c != 0xfeff)
              || (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
              || (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
          if (printable) {
            q.append(c);
          } else {
            q.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
