package dev.minke.view;

import dev.minke.build.StepResult;
import dev.minke.dsl.Image;
import dev.minke.dsl.Layer;
import dev.minke.image.Descriptor;
import dev.minke.image.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One layer with what the build said about it: the step that made it (if this build made it) and
 * the verdict word: CACHED or BUILT from the step, BASE for a layer no step of the build made,
 * UNKNOWN when there is no build record (an image looked up, a layer on its own).
 */
record LayerFacts(Layer layer, String verdict, String reason, Optional<StepResult> step) {
  static final String BASE = "BASE";
  static final String UNKNOWN = "UNKNOWN";

  /** A layer shown without its image's build record. */
  static LayerFacts alone(Layer layer) {
    return new LayerFacts(layer, UNKNOWN, "", Optional.empty());
  }

  /**
   * The image's layers, bottom first, each with the build step whose layer digest it is. The
   * steps that made layers made the top ones, in order; a digest that does not line up (two
   * steps that wrote the same bytes) is looked up by digest instead.
   */
  static List<LayerFacts> of(Image image) {
    List<Layer> layers = image.layers();
    List<StepResult> layerSteps = image.steps().stream().filter(s -> s.layer().isPresent()).toList();
    Map<Digest, StepResult> byDigest = new HashMap<>();
    for (StepResult step : layerSteps) {
      byDigest.putIfAbsent(step.layer().get().digest(), step);
    }
    int firstStepLayer = layers.size() - layerSteps.size();
    List<LayerFacts> facts = new ArrayList<>();
    for (Layer layer : layers) {
      StepResult step = null;
      int position = layer.index() - firstStepLayer;
      if (position >= 0 && position < layerSteps.size()
          && layerSteps.get(position).layer().map(Descriptor::digest).orElseThrow().equals(layer.digest())) {
        step = layerSteps.get(position);
      } else if (position >= 0) {
        step = byDigest.get(layer.digest());
      }
      if (step != null) {
        facts.add(new LayerFacts(layer, step.verdict().name(), step.reason(), Optional.of(step)));
      } else if (!image.steps().isEmpty()) {
        facts.add(new LayerFacts(layer, BASE, "base image", Optional.empty()));
      } else {
        facts.add(alone(layer));
      }
    }
    return facts;
  }

  /** The history text of the layer, else the step's. */
  String createdBy() {
    return layer.createdBy().isEmpty() ? step.map(StepResult::createdBy).orElse("") : layer.createdBy();
  }
}
