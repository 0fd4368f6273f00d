package dev.minke;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Records, when a test run starts, the Minke cgroups, mounts and minke-init processes that were
 * already on the machine, so that {@link LeftoversIT} at the end can tell what the run itself
 * left behind (a developer's machine may have containers of its own).
 */
public final class SuiteBaseline implements LauncherSessionListener {
  private static volatile Set<String> cgroups = Set.of();
  private static volatile Set<String> mounts = Set.of();
  private static volatile Set<String> processes = Set.of();
  private static volatile Set<String> links = Set.of();
  private static volatile Set<String> firewall = Set.of();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    cgroups = minkeCgroups();
    mounts = minkeMounts();
    processes = minkeInitProcesses();
    links = networkLinks();
    firewall = minkeFirewallRules();
  }

  static Set<String> linksAtStart() {
    return links;
  }

  static Set<String> firewallAtStart() {
    return firewall;
  }

  /** Bridges and veth devices in the host's network namespace (names only). */
  static Set<String> networkLinks() {
    Set<String> found = new TreeSet<>();
    for (String line : command("ip", "-br", "link")) {
      String name = line.split("\\s+")[0].split("@")[0];
      if (name.startsWith("minke") || name.startsWith("veth")) {
        found.add(name);
      }
    }
    return found;
  }

  /** iptables rules and chains that mention Minke's chains. */
  static Set<String> minkeFirewallRules() {
    Set<String> found = new TreeSet<>();
    for (String line : command("iptables-save")) {
      if (line.contains("MINKE")) {
        found.add(line.replaceAll("\\[[0-9]+:[0-9]+\\]", ""));
      }
    }
    return found;
  }

  private static List<String> command(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
      p.waitFor();
      return lines;
    } catch (IOException e) {
      return List.of(); // The tool is not installed: nothing to compare.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  static Set<String> cgroupsAtStart() {
    return cgroups;
  }

  static Set<String> mountsAtStart() {
    return mounts;
  }

  static Set<String> processesAtStart() {
    return processes;
  }

  /** Every {@code minke/<name>} cgroup directory under /sys/fs/cgroup, any hierarchy. */
  static Set<String> minkeCgroups() {
    Set<String> found = new TreeSet<>();
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> candidates = new ArrayList<>(List.of(root.resolve("minke")));
    try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(root)) {
      hierarchies.forEach(h -> candidates.add(h.resolve("minke")));
    } catch (IOException e) {
      return found;
    }
    for (Path parent : candidates) {
      if (Files.isDirectory(parent)) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, Files::isDirectory)) {
          children.forEach(c -> found.add(c.toString()));
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
    }
    return found;
  }

  /** Overlay mounts and mounts under test or store directories. */
  static Set<String> minkeMounts() {
    Set<String> found = new TreeSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] fields = line.split(" ");
        String target = fields.length > 4 ? fields[4] : "";
        if (line.contains(" - overlay ") || target.contains("/junit") || target.contains("/minke")) {
          found.add(target);
        }
      }
    } catch (IOException e) {
      // No mountinfo: nothing to compare.
    }
    return found;
  }

  /** PIDs and command lines of running minke-init processes. */
  static Set<String> minkeInitProcesses() {
    Set<String> found = new TreeSet<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path proc : procs) {
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
          String comm = Files.readString(proc.resolve("comm")).trim();
          if (comm.startsWith("minke-init") || cmdline.contains("minke-init")) {
            found.add(proc.getFileName() + " " + cmdline.trim());
          }
        } catch (IOException e) {
          // The process ended meanwhile.
        }
      }
    } catch (IOException e) {
      // No /proc: nothing to compare.
    }
    return found;
  }
}
