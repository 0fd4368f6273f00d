package dev.minke.dsl;

import dev.minke.error.InterruptedOperationException;
import dev.minke.error.MinkeException;
import dev.minke.image.Descriptor;
import dev.minke.os.Interrupts;
import dev.minke.registry.Reference;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.Volumes;
import dev.minke.runtime.net.Networks;
import dev.minke.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Several services on one network, what a compose file declares ({@code Minke.stack("shop")
 * .service(Service.of("db", "busybox")...)}), as an immutable value: {@link #service} returns a
 * new stack.
 *
 * <p>{@link #up()} makes the network {@code <stack>} (unless it exists) and starts each service's
 * container, {@code <stack>-<service>}, detached, each after the services it depends on. On the
 * network every container finds the others by service name (its host name, unless one is set) and
 * by container name. {@link #down()} stops and removes the containers, their anonymous volumes and
 * the network; named volumes ({@code data} in the stack is {@code <stack>_data} in the store, as
 * compose names it) stay unless {@code down(true)}. {@link #toCompose()} writes the same stack as
 * a compose file.
 *
 * <p>The stack runs in the store given by {@link #withStore}, else in the DSL's current store.
 */
public final class Stack {
  /** Compose's project names; also valid network, container and volume name prefixes. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,47}");

  private final String name;
  private final List<Service> services;
  private final Store store; // null: Stores.current()

  private Stack(String name, List<Service> services, Store store) {
    this.name = name;
    this.services = List.copyOf(services);
    this.store = store;
  }

  /** An empty stack; {@code name} names its network, its containers' prefix and its volumes' prefix. */
  public static Stack of(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid stack name \"" + name
          + "\": use lowercase letters, digits, _ and - (starting with a letter or digit), at most 48");
    }
    if (Networks.BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("\"" + name + "\" is a built-in network, so it cannot name a stack");
    }
    return new Stack(name, List.of(), null);
  }

  /** This stack with one more service (compose {@code services:}). */
  public Stack service(Service service) {
    Objects.requireNonNull(service, "service");
    if (services.stream().anyMatch(s -> s.name().equals(service.name()))) {
      throw new StackDefinitionException(name, "it already has a service named " + service.name(),
          "give each service its own name");
    }
    List<Service> more = new ArrayList<>(services);
    more.add(service);
    return new Stack(name, more, store);
  }

  /** This stack, run in {@code store} instead of the DSL's current one. */
  public Stack withStore(Store newStore) {
    return new Stack(name, services, Objects.requireNonNull(newStore, "store"));
  }

  public String name() {
    return name;
  }

  /** The services, in the order they were declared. */
  public List<Service> services() {
    return services;
  }

  /** The network the services share: the stack's name. */
  public String network() {
    return name;
  }

  /** The container name of a service: {@code <stack>-<service>}. */
  public String containerName(String service) {
    return name + "-" + service;
  }

  /** The store's name of one of the stack's named volumes: {@code <stack>_<volume>}. */
  public String volumeName(String volume) {
    return name + "_" + volume;
  }

  /**
   * The order {@link #up()} starts the services in: each after what it depends on, otherwise as
   * declared.
   *
   * @throws StackDefinitionException on a dependency cycle or a dependency the stack lacks
   */
  public List<Service> startOrder() {
    return StackOrder.of(name, services);
  }

  /** The stack as a compose file ({@code compose.yaml}). */
  public String toCompose() {
    startOrder(); // a cycle or a missing dependency is no valid compose file either
    return ComposeYaml.of(name, services);
  }

  // ---- up | ps | logs | down ----

  /**
   * {@code docker compose up -d}: makes the network unless it exists and starts every service,
   * detached, in {@link #startOrder()}. The definition and every image are checked before anything
   * starts. If a service fails to start, everything this call started (containers, their
   * anonymous volumes, named volumes it made, the network if it made it) is removed again.
   *
   * @throws StackDefinitionException for a cycle or a missing dependency (nothing started)
   * @throws StackStartException naming the service that failed (the rest undone)
   * @throws dev.minke.runtime.RunInterruptedException when the calling thread is interrupted while
   *     a service starts: everything this call started is undone, as for a failure
   */
  public StackStatus up() {
    List<Service> order = startOrder();
    Store home = store();
    Map<String, Image> images = new java.util.HashMap<>();
    for (Service service : order) {
      images.put(service.name(), imageOf(home, service));
    }
    Containers containers = new Containers(home);
    Set<String> existing = containerNames(containers);
    for (Service service : order) {
      if (existing.contains(containerName(service.name()))) {
        throw new MinkeException("stack " + name + " is already up: container " + containerName(service.name())
            + " exists", "call down() first, or look at it with ps()");
      }
    }
    Volumes volumes = new Volumes(home);
    Set<String> volumesBefore = new HashSet<>();
    volumes.list().forEach(v -> volumesBefore.add(v.name()));
    Networks networks = new Networks();
    boolean madeNetwork = false;
    List<String> started = new ArrayList<>();
    Service current = null;
    try {
      if (!networkExists(networks)) {
        networks.create(name);
        madeNetwork = true;
      }
      for (Service service : order) {
        current = service;
        Image image = images.get(service.name());
        Descriptor manifest = image.manifestDescriptor();
        String imageName = image.reference().map(Reference::familiar).orElse(image.digest().toString());
        ContainerRecord record = containers.create(manifest, imageName, runOptions(service), containerName(service.name()));
        started.add(record.id());
        containers.startDetached(record.id());
      }
    } catch (RuntimeException e) {
      if (current != null) { // made but not recorded as started, e.g. its bundle failed half way
        String failed = containerName(current.name());
        try {
          containers.list(true).stream().filter(c -> c.name().equals(failed) && !started.contains(c.id()))
              .forEach(c -> started.add(c.id()));
        } catch (RuntimeException listing) {
          e.addSuppressed(listing);
        }
      }
      Networks made = madeNetwork ? networks : null;
      // An interrupted up() is undone all the same: the undo's waits run with the flag cleared.
      Interrupts.cleanUp(() -> undo(containers, started, volumes, volumesBefore, made, e));
      if (current == null || e instanceof InterruptedOperationException) {
        throw e; // the network could not be made (no service is to blame), or the caller interrupted
      }
      throw new StackStartException(name, current.name(), e);
    }
    return ps();
  }

  /** {@code docker compose ps}: every declared service with its container's state. */
  public StackStatus ps() {
    Containers containers = new Containers(store());
    List<ContainerRecord> all = containers.list(true);
    List<StackStatus.ServiceStatus> rows = new ArrayList<>();
    for (Service service : services) {
      String container = containerName(service.name());
      Optional<ContainerRecord> record = all.stream().filter(c -> c.name().equals(container)).findFirst();
      rows.add(record.map(r -> new StackStatus.ServiceStatus(service.name(), container, r.id(),
              StackStatus.State.valueOf(r.state().name()), r.exitCode()))
          .orElse(new StackStatus.ServiceStatus(service.name(), container, null, StackStatus.State.MISSING, null)));
    }
    return new StackStatus(name, network(), networkExists(new Networks()), rows);
  }

  /** The container of a service, while the stack is up. */
  public Container container(String service) {
    requireService(service);
    Store home = store();
    String container = containerName(service);
    ContainerRecord record = new Containers(home).list(true).stream().filter(c -> c.name().equals(container))
        .findFirst().orElseThrow(() -> new MinkeException("service " + service + " of stack " + name
            + " has no container (" + container + ")", "start the stack with up()"));
    return new Container(home, record.id());
  }

  /** {@code docker compose logs SERVICE}: what the service's container wrote, stdout then stderr. */
  public String logs(String service) {
    return container(service).logs();
  }

  /**
   * {@code docker compose down}: stops (SIGTERM, SIGKILL after 10 s) and removes every service's
   * container, last started first, with its anonymous volumes; then removes the network. Named
   * volumes stay. What is already gone is skipped.
   */
  public void down() {
    down(false);
  }

  /** {@code docker compose down [-v]}: as {@link #down()}, and with {@code volumes} also the stack's named volumes. */
  public void down(boolean volumes) {
    Store home = store();
    Containers containers = new Containers(home);
    List<Service> order;
    try {
      order = new ArrayList<>(startOrder());
    } catch (StackDefinitionException e) {
      order = new ArrayList<>(services); // never started as declared: remove whatever is there
    }
    java.util.Collections.reverse(order);
    List<ContainerRecord> all = containers.list(true);
    RuntimeException failure = null;
    for (Service service : order) {
      String container = containerName(service.name());
      for (ContainerRecord record : all.stream().filter(c -> c.name().equals(container)).toList()) {
        try {
          containers.stop(record.id());
          containers.remove(record.id(), true, true);
        } catch (RuntimeException e) {
          failure = first(failure, e);
        }
      }
    }
    Networks networks = new Networks();
    try {
      if (networkExists(networks)) {
        networks.remove(name);
      }
    } catch (RuntimeException e) {
      failure = first(failure, e);
    }
    if (volumes) {
      Volumes store = new Volumes(home);
      Set<String> present = new HashSet<>();
      store.list().forEach(v -> present.add(v.name()));
      for (String volume : namedVolumes()) {
        if (present.contains(volumeName(volume))) {
          try {
            store.remove(volumeName(volume));
          } catch (RuntimeException e) {
            failure = first(failure, e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---- helpers ----

  private Store store() {
    return store != null ? store : Stores.current();
  }

  /** The run flags of a service's container: the stack's network, its host name, its volumes scoped to the stack. */
  RunOptions runOptions(Service service) {
    RunOptions options = RunOptions.defaults().withNetwork(network()).withHostname(service.effectiveHostname())
        .withInit(service.init());
    if (!service.command().isEmpty()) {
      options = options.withCommand(service.command());
    }
    for (Map.Entry<String, String> e : service.env().entrySet()) {
      options = options.withEnv(e.getKey(), e.getValue());
    }
    for (String spec : service.volumes()) {
      options = options.withMount(Service.mount(spec, name));
    }
    for (String port : service.ports()) {
      options = options.withPublish(port);
    }
    return options;
  }

  private Image imageOf(Store home, Service service) {
    if (service.image() != null) {
      Image image = service.image();
      if (!image.store().home().equals(home.home())) {
        throw new StackDefinitionException(name, "the image of service " + service.name() + " is in the store "
            + image.store().home() + ", but the stack runs in " + home.home(), "use stack.withStore(image.store())");
      }
      return image;
    }
    try {
      return Image.lookup(home, Reference.parse(service.imageName()));
    } catch (MinkeException e) {
      throw new StackDefinitionException(name, "the image of service " + service.name() + " is not there: "
          + e.problem(), e.hint(), e);
    }
  }

  private Set<String> namedVolumes() {
    Set<String> names = new LinkedHashSet<>();
    services.forEach(s -> names.addAll(s.namedVolumes()));
    return names;
  }

  private boolean networkExists(Networks networks) {
    return networks.list().stream().anyMatch(n -> n.name().equals(name));
  }

  private static Set<String> containerNames(Containers containers) {
    Set<String> names = new HashSet<>();
    containers.list(true).forEach(c -> names.add(c.name()));
    return names;
  }

  private void requireService(String service) {
    if (services.stream().noneMatch(s -> s.name().equals(service))) {
      throw new IllegalArgumentException("stack " + name + " has no service \"" + service + "\"; it has "
          + String.join(", ", services.stream().map(Service::name).toList()));
    }
  }

  /** Removes what a failed {@link #up()} made, newest first; a failure here is added to the original one. */
  private void undo(Containers containers, List<String> started, Volumes volumes, Set<String> volumesBefore,
      Networks madeNetwork, RuntimeException original) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        containers.remove(started.get(i), true, true);
      } catch (RuntimeException e) {
        original.addSuppressed(e);
      }
    }
    for (String volume : namedVolumes()) {
      if (!volumesBefore.contains(volumeName(volume))) {
        try {
          if (volumes.list().stream().anyMatch(v -> v.name().equals(volumeName(volume)))) {
            volumes.remove(volumeName(volume));
          }
        } catch (RuntimeException e) {
          original.addSuppressed(e);
        }
      }
    }
    if (madeNetwork != null) {
      try {
        madeNetwork.remove(name);
      } catch (RuntimeException e) {
        original.addSuppressed(e);
      }
    }
  }

  private static RuntimeException first(RuntimeException earlier, RuntimeException now) {
    if (earlier == null) {
      return now;
    }
    earlier.addSuppressed(now);
    return earlier;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Stack s && s.name.equals(name) && s.services.equals(services)
        && Objects.equals(s.store, store);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, services);
  }

  @Override
  public String toString() {
    return "Stack[" + name + ": " + String.join(", ", services.stream().map(Service::name).toList()) + "]";
  }
}
