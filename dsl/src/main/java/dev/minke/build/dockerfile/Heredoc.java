package dev.minke.build.dockerfile;

/**
 * A here-document attached to a RUN, COPY or ADD instruction ({@code <<EOF … EOF}).
 *
 * @param name the delimiter word, quotes removed
 * @param content the lines between the instruction and the delimiter, each with its newline
 * @param expand whether variables in the content are expanded (the delimiter was not quoted)
 * @param chomp {@code <<-}: leading tabs are stripped from the delimiter line (and the content)
 * @param fileDescriptor the descriptor before {@code <<}, e.g. 3 in {@code 3<<EOF}; 0 if none
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp,
    int fileDescriptor) {}
