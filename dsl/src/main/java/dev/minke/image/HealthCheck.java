package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Docker's HEALTHCHECK in a config: the test command and its timings in nanoseconds. A test of
 * {@code ["NONE"]} disables a check inherited from the base image.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthCheck(
    @JsonProperty("Test") List<String> test,
    @JsonProperty("Interval") long intervalNanos,
    @JsonProperty("Timeout") long timeoutNanos,
    @JsonProperty("StartPeriod") long startPeriodNanos,
    @JsonProperty("StartInterval") long startIntervalNanos,
    @JsonProperty("Retries") int retries) {

  public HealthCheck {
    test = test == null ? List.of() : List.copyOf(test);
  }
}
