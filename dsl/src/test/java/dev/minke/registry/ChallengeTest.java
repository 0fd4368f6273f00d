package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void parse_dockerHubBearer() {
    Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:samalba/my-app:pull,push\"").orElseThrow();
    assertTrue(c.isBearer());
    assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
        "scope", "repository:samalba/my-app:pull,push"), c.params());
  }

  @Test
  void parse_basic_caseInsensitiveScheme_andSpaces() {
    Challenge c = Challenge.parse("basic  Realm = \"basic-realm\"").orElseThrow();
    assertTrue(c.isBasic());
    assertEquals("basic-realm", c.param("realm"));
  }

  @Test
  void parse_tokensEscapesAndEmptyValues() {
    Challenge c = Challenge.parse("Bearer realm=\"a\\\"b\", service=plain, error=\"\"").orElseThrow();
    assertEquals("a\"b", c.param("realm"));
    assertEquals("plain", c.param("service"));
    assertEquals("", c.param("error"));
  }

  @Test
  void parse_readsOnlyTheFirstChallenge() {
    Challenge c = Challenge.parse("Bearer realm=\"https://r/token\", Basic realm=\"x\"").orElseThrow();
    assertTrue(c.isBearer());
    assertEquals("https://r/token", c.param("realm"));
  }

  @Test
  void parse_nothing() {
    for (String header : List.of("", "   ")) {
      assertTrue(Challenge.parse(header).isEmpty(), header);
    }
    assertTrue(Challenge.parse(null).isEmpty());
  }

  @Test
  void parse_unterminatedQuote_keepsWhatThereIs() {
    assertEquals("https://r", Challenge.parse("Bearer realm=\"https://r").orElseThrow().param("realm"));
  }
}
