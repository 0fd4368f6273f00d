package dev.minke.store;

import dev.minke.registry.testing.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * One round of {@link RegistryFaultSoakIT}: which request gets which fault how often, and what the
 * operation is. Chosen from a {@link Random}, so a seed repeats a whole run's choices.
 *
 * @param kind the fault's family, for the tally ({@code truncate}, {@code status 5xx}, …)
 * @param fault what the proxy does
 * @param target which requests it does it to
 * @param times how many matching requests get it
 * @param operation the pull or push run through the proxy
 * @param layer for a layer GET, which layer (index into the image's layers)
 * @param chunked a push sends blobs in PATCH chunks
 * @param byDigest a pull names the image by digest instead of by tag
 */
record FaultPlan(String kind, Fault fault, Target target, int times, Operation operation, int layer,
    boolean chunked, boolean byDigest) {

  /** The requests a fault can hit. */
  enum Target {
    MANIFEST_GET("GET", "/manifests/", true),
    CONFIG_GET("GET", null, true),
    LAYER_GET("GET", null, true),
    BLOB_HEAD("HEAD", "/blobs/sha256:", false),
    UPLOAD_POST("POST", "/blobs/uploads/$", false),
    UPLOAD_PATCH("PATCH", "/blobs/uploads/.", false),
    UPLOAD_PUT("PUT", "/blobs/uploads/.", false),
    MANIFEST_PUT("PUT", "/manifests/", false);

    final String method;
    final String path;
    final boolean pull;

    Target(String method, String path, boolean pull) {
      this.method = method;
      this.path = path;
      this.pull = pull;
    }
  }

  /** The operation of a round. */
  enum Operation {
    /** Pull into an empty store. */
    PULL_FRESH(true),
    /** Pull into a store that has the base image (some of the blobs) under another name. */
    PULL_HAVING_SOME(true),
    /** Pull into a store whose name already points at the base image: the tag must move or stay. */
    PULL_RETAG(true),
    /** Push to a new repository. */
    PUSH_FRESH(false),
    /** Push to a repository that has the base image (some of the layers), tagged with the same name. */
    PUSH_HAVING_SOME(false),
    /** Push from a store that knows the base image in another repository: blobs are mounted. */
    PUSH_MOUNT(false);

    final boolean pull;

    Operation(boolean pull) {
      this.pull = pull;
    }
  }

  /** Sizes of what the proxy may answer, so that body faults pick offsets inside it. */
  record Sizes(long manifest, long config, List<Long> layers) {}

  static FaultPlan random(Random random, Sizes sizes, int retries) {
    Target target = Target.values()[random.nextInt(Target.values().length)];
    List<Operation> fitting = List.of(Operation.values()).stream().filter(o -> o.pull == target.pull).toList();
    Operation operation = fitting.get(random.nextInt(fitting.size()));
    int layer = random.nextInt(sizes.layers().size());
    long size = switch (target) {
      case MANIFEST_GET -> sizes.manifest();
      case CONFIG_GET -> sizes.config();
      case LAYER_GET -> sizes.layers().get(layer);
      default -> 0;
    };
    // Mostly within the retries, sometimes more than they can absorb.
    int times = 1 + random.nextInt(retries + 2);
    boolean chunked = target == Target.UPLOAD_PATCH || (!operation.pull && random.nextBoolean());
    boolean byDigest = operation.pull && random.nextInt(4) == 0;
    return switch (random.nextInt(10)) {
      case 0 -> new FaultPlan("drop request", Fault.dropRequest(), target, times, operation, layer, chunked, byDigest);
      case 1 -> new FaultPlan("drop response", Fault.dropResponse(), target, times, operation, layer, chunked, byDigest);
      case 2 -> new FaultPlan("drop after headers", Fault.dropAfterHeaders(), target, times, operation, layer, chunked,
          byDigest);
      case 3 -> new FaultPlan("truncate", Fault.truncate(random.nextInt(3) == 0 ? -1 : offset(random, size)), target,
          times, operation, layer, chunked, byDigest);
      case 4 -> {
        int status = List.of(500, 502, 503, 504, 408, 400, 401, 403, 404, 501).get(random.nextInt(10));
        String kind = temporary(status) ? "status 5xx/408" : "status 4xx/501";
        yield new FaultPlan(kind, Fault.status(status), target, times, operation, layer, chunked, byDigest);
      }
      case 5 -> new FaultPlan("429 Retry-After", Fault.tooManyRequests(Duration.ofSeconds(random.nextInt(3))), target,
          times, operation, layer, chunked, byDigest);
      case 6 -> {
        // At most ~60 pauses of up to 10 ms, whatever the body's size.
        int chunk = (int) Math.max(1 + random.nextInt(512), size / 60);
        yield new FaultPlan("slow body", Fault.slowBody(chunk, Duration.ofMillis(1 + random.nextInt(10))), target,
            times, operation, layer, chunked, byDigest);
      }
      case 7 -> new FaultPlan("delay", Fault.delay(Duration.ofMillis(random.nextInt(RegistryFaultSoakIT.TIMEOUT_MILLIS
          * 3 / 2))), target, times, operation, layer, chunked, byDigest);
      case 8 -> new FaultPlan("flip byte", Fault.flipByte(random.nextInt(3) == 0 ? -1 : offset(random, size)), target,
          times, operation, layer, chunked, byDigest);
      default -> {
        long delta = List.of(-1L, 1L, -100L, 100L, -size, size + 1).get(random.nextInt(6));
        yield new FaultPlan("wrong Content-Length", Fault.wrongContentLength(delta == 0 ? 1 : delta), target, times,
            operation, layer, chunked, byDigest);
      }
    };
  }

  private static long offset(Random random, long size) {
    return size <= 0 ? random.nextInt(100) : (long) (random.nextDouble() * size);
  }

  static boolean temporary(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501);
  }

  /**
   * Whether the retries must absorb this fault: it is a network or server hiccup (not damaged
   * content, not a refusal) and it happens no more often than the retries allow.
   */
  boolean mustSucceed(int retries) {
    if (times > retries) {
      return false;
    }
    boolean bodyless = target == Target.BLOB_HEAD || !target.pull;
    if (fault instanceof Fault.Status status) {
      return temporary(status.status());
    }
    if (fault instanceof Fault.FlipByte) {
      return bodyless;
    }
    if (fault instanceof Fault.WrongContentLength wrong) {
      // A short manifest hashes wrong: that is damaged content, refused, not retried.
      return wrong.delta() > 0 || target != Target.MANIFEST_GET;
    }
    return true;
  }

  @Override
  public String toString() {
    return operation + (byDigest ? " by digest" : "") + (chunked ? " chunked" : "") + ": " + fault + " on "
        + target + (target == Target.LAYER_GET ? " #" + layer : "") + " x" + times;
  }
}
