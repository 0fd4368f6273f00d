package dev.minke.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minke.image.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /v2/<name>/tags/list}: one page of tags and the link to the next page, if any. */
final class TagList implements Endpoint<TagList.Page> {
  static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  record Page(List<String> tags, String next) {}

  private final String repository;
  private final String pageUrl;

  /** The first page, or the page a previous one's Link header named. */
  TagList(String repository, String pageUrl) {
    this.repository = repository;
    this.pageUrl = pageUrl;
  }

  Page callOn(Transport transport) {
    return transport.call(this);
  }

  @Override
  public String action() {
    return "listing tags of";
  }

  @Override
  public String method() {
    return "GET";
  }

  @Override
  public URI uri(URI base) {
    return pageUrl == null ? Endpoint.v2(base, repository, "tags/list") : base.resolve(pageUrl);
  }

  @Override
  public String repository() {
    return repository;
  }

  @Override
  public List<Scope> scopes() {
    return List.of(Scope.pull(repository));
  }

  @Override
  public boolean accepts(int status) {
    return status == 200;
  }

  @Override
  public Page handle(HttpResponse<InputStream> response) throws IOException {
    JsonNode json = Json.mapper().readTree(Transport.readCapped(response.body(), MAX_PAGE_BYTES, "tag list"));
    List<String> tags = new ArrayList<>();
    json.path("tags").forEach(tag -> tags.add(tag.asText()));
    String next = null;
    Matcher link = NEXT.matcher(response.headers().firstValue("Link").orElse(""));
    if (link.find()) {
      next = link.group(1);
    }
    return new Page(tags, next);
  }
}
