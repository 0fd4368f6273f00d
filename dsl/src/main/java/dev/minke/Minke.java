package dev.minke;

import dev.minke.build.BaseImage;
import dev.minke.build.CopyOptions;
import dev.minke.build.HealthChecks;
import dev.minke.dsl.Image;
import dev.minke.dsl.Images;
import dev.minke.dsl.Stack;
import dev.minke.dsl.Stage;
import dev.minke.dsl.Stores;
import dev.minke.image.HealthCheck;
import dev.minke.registry.Reference;
import dev.minke.store.ImagePull;
import dev.minke.store.PullOptions;
import dev.minke.store.PullPolicy;
import dev.minke.store.PullResult;
import dev.minke.store.Store;
import dev.minke.view.ImageComparison;
import java.nio.file.Path;
import java.util.List;

/**
 * The static entry points that JShell and the notebook kernel import: {@code from("busybox")},
 * {@code scratch()}, {@code image("busybox")}, {@code images()} and the copy options. Each one
 * only delegates; the work is done by the packages below.
 */
public final class Minke {
  private Minke() {}

  /** An empty stage ({@code FROM scratch}). */
  public static Stage scratch() {
    return Stage.of(new BaseImage.Scratch());
  }

  /** A stage on top of an image in the store, e.g. {@code from("busybox")}. */
  public static Stage from(String reference) {
    return Stage.of(new BaseImage.Named(Reference.parse(reference)));
  }

  /** A stage on top of an image value, by its digest. */
  public static Stage from(Image image) {
    Reference base = image.reference()
        .map(r -> r.withDigest(image.digest()))
        .orElseThrow(() -> new IllegalArgumentException(
            "the image " + image + " has no name to build on; tag it first, e.g. img.tag(\"base:1\")"));
    return Stage.of(new BaseImage.Named(base));
  }

  /** A stage that starts where another ended ({@code FROM build}): its files, config and history. */
  public static Stage from(Stage stage) {
    return Stage.of(new BaseImage.FromStage(new dev.minke.build.StageRef.Value(stage.toBuildStage())));
  }

  /** A stage that starts where the stage called {@code name} in the same {@link Build} ended. */
  public static Stage fromStage(String name) {
    return Stage.of(new BaseImage.FromStage(new dev.minke.build.StageRef.Named(name, false)));
  }

  /** Builds {@code target} and the stages it uses into the current store. */
  public static Image build(Stage target) {
    return target.build();
  }

  /**
   * Two images side by side: the layers they share, their own layers and the disk sharing
   * saves, e.g. {@code compare(image("busybox"), app)}.
   */
  public static ImageComparison compare(Image a, Image b) {
    return ImageComparison.of(a, b);
  }

  /** The image a name refers to in the store ({@code docker image inspect NAME}). */
  public static Image image(String reference) {
    return Image.lookup(Stores.current(), Reference.parse(reference));
  }

  /**
   * Pulls an image from its registry into the store ({@code docker pull}), e.g. {@code
   * pull("busybox")}: the manifest for this machine's platform, every blob verified.
   */
  public static Image pull(String reference) {
    return pull(reference, PullOptions.defaults().withPolicy(PullPolicy.ALWAYS));
  }

  /** Pulls with options: policy, platform, jobs, a progress listener, registry settings. */
  public static Image pull(String reference, PullOptions options) {
    Reference ref = Reference.parse(reference);
    PullResult pulled = ImagePull.pull(Stores.current(), ref, options);
    return Image.of(Stores.current(), pulled.manifest(), ref.digest() == null ? ref : null);
  }

  /** Every image in the store, as {@code docker images} lists them. */
  public static List<Image> images() {
    return Images.list(Stores.current());
  }

  /** Uses the store at {@code home} from now on (default {@code $MINKE_HOME}). */
  public static Store home(String home) {
    return Stores.use(Path.of(home));
  }

  /** The offline busybox base image, made from Debian's busybox-static if it is not there yet. */
  public static Image busybox() {
    return Images.busybox(Stores.current());
  }

  /**
   * An empty stack of services on one network, e.g. {@code stack("shop").service(Service.of("db",
   * "busybox")).up()}: compose as a value.
   */
  public static Stack stack(String name) {
    return Stack.of(name);
  }

  /** Copy option: owner of copied files, {@code "user[:group]"} by name or number. */
  public static CopyOptions chown(String userAndGroup) {
    return CopyOptions.defaults().withChown(userAndGroup);
  }

  /**
   * RUN flag: the step's network, {@code "none"} (only {@code lo}) or {@code "default"}/{@code
   * "host"} (the host's, Docker's RUN default): {@code run(network("none"), "make test")}.
   */
  public static dev.minke.build.RunFlags network(String mode) {
    return dev.minke.build.RunFlags.defaults().withNetwork(mode);
  }

  /** RUN flag: a cache mount at {@code target} kept across builds: {@code run(cacheMount("/root/.cache"), …)}. */
  public static dev.minke.build.RunFlags cacheMount(String target) {
    return dev.minke.build.RunFlags.defaults().withCacheMount(target);
  }

  /** RUN flag: the build secret {@code id} at {@code /run/secrets/<id>}: {@code run(secret("token"), …)}. */
  public static dev.minke.build.RunFlags secret(String id) {
    return dev.minke.build.RunFlags.defaults().withSecret(id);
  }

  /** Copy option: permission bits of copied files, e.g. {@code chmod(0755)}. */
  public static CopyOptions chmod(int mode) {
    return CopyOptions.defaults().withChmod(mode);
  }

  /** A health check run by the container's shell. */
  public static HealthCheck healthcheck(String shellCommand) {
    return HealthChecks.shell(shellCommand);
  }

  /** Every volume in the store ({@code docker volume ls}), each with the containers that mount it. */
  public static List<dev.minke.runtime.VolumeInfo> volumes() {
    return new dev.minke.runtime.Volumes(Stores.current()).list();
  }

  /** One volume of the store ({@code docker volume inspect NAME}). */
  public static dev.minke.runtime.VolumeInfo volume(String name) {
    return new dev.minke.runtime.Volumes(Stores.current()).inspect(name);
  }

  /** The host's networks ({@code docker network ls}), each with the containers running on it. */
  public static List<dev.minke.runtime.net.Network> networks() {
    return new dev.minke.runtime.net.Networks().list();
  }

  /**
   * The stages of Dockerfile text as a build, e.g. {@code dockerfile("FROM busybox\nRUN echo
   * hi").build()}; {@code .toJava()} prints the same build in the DSL. FROM's variables take the
   * ARG defaults; an instruction the engine does not run is an error naming its line.
   */
  public static dev.minke.dsl.Build dockerfile(String text) {
    return dev.minke.dsl.DockerfileImport.build(text);
  }

  /**
   * RUN flag: a cache mount with its own {@code id} (shared by steps that name it) and {@code
   * sharing} ({@code "shared"}, {@code "private"} or {@code "locked"}).
   */
  public static dev.minke.build.RunFlags cacheMount(String target, String id, String sharing) {
    return dev.minke.build.RunFlags.defaults().withCacheMount(target, id, sharing);
  }

  /** RUN flag: the build secret {@code id} at the file {@code target}. */
  public static dev.minke.build.RunFlags secret(String id, String target) {
    return dev.minke.build.RunFlags.defaults().withSecret(id, target);
  }
}
