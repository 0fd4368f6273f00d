package dev.minke.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A volume as the store keeps it ({@code volumes/<name>/volume.json}): its name, when it was made,
 * and whether it is anonymous (made for an image's {@code VOLUME} and removed with its container
 * by {@code run --rm}). The data lives in {@code volumes/<name>/_data}, Docker's layout.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Volume(String name, String created, boolean anonymous) {}
