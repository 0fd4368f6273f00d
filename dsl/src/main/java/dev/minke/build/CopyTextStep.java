package dev.minke.build;

import java.util.function.UnaryOperator;

/**
 * COPY of inline text ({@code COPY <<EOF /path}): one file with {@code content}, mode 0644 unless
 * {@code --chmod}, placed as a copied file named {@code name} would be (into {@code destination}
 * when it names a directory). {@code expand}: Dockerfile variables in the content are replaced
 * (an unquoted here-document delimiter); the DSL's {@code copyText} copies the text as given.
 */
public record CopyTextStep(String name, String content, String destination, CopyOptions options, boolean expand)
    implements Step {

  public CopyTextStep {
    name = name == null || name.isEmpty() ? "EOF" : name;
    if (name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("a here-document name cannot be a path: " + name);
    }
    if (content == null) {
      throw new IllegalArgumentException("copyText needs the text to write");
    }
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException("copy destination must not be empty");
    }
    options = options == null ? CopyOptions.defaults() : options;
  }

  /** The step with Dockerfile variables replaced in the destination (and content when {@code expand}). */
  public CopyTextStep expand(UnaryOperator<String> expander) {
    return new CopyTextStep(name, expand ? expander.apply(content) : content, expander.apply(destination), options,
        expand);
  }

  /** As BuildKit records it: the here-document's name, not its content. */
  @Override
  public String createdBy() {
    return "COPY " + options.flags() + "<<" + name + " " + destination;
  }
}
