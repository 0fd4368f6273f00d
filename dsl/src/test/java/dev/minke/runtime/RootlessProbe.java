package dev.minke.runtime;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs containers as whoever starts it (RootlessIT starts it as an unprivileged user) and prints
 * what they saw, one {@code key=value} per line, newlines escaped as {@code \n}:
 * {@code NAME.exit}, {@code NAME.out} (stdout then stderr) or {@code NAME.error} when the run
 * threw. Usage: {@code RootlessProbe STOREDIR [HOSTFILE]}: the store is opened (made) there, the
 * busybox image made in it; HOSTFILE is a host path the container must not see.
 */
public final class RootlessProbe {
  private RootlessProbe() {}

  public static void main(String[] args) {
    Path storeDir = Path.of(args[0]);
    String hostFile = args.length > 1 ? args[1] : "/etc/hostname";
    Store store = Store.open(storeDir);
    BusyboxImage.make(store, Path.of("/bin/busybox"), 0);
    Descriptor busybox = store.require(BusyboxImage.NAME);
    Containers containers = new Containers(store);
    print("euid", Long.toString(new com.sun.security.auth.module.UnixSystem().getUid()));
    print("runtime", Runtimes.select(store.home()).name());

    Map<String, RunOptions> probes = new LinkedHashMap<>();
    RunOptions sh = RunOptions.defaults();
    probes.put("pid1", sh.withCommand(List.of("sh", "-c", "echo $$; ps -o pid,comm")));
    probes.put("hostname", sh.withHostname("box").withCommand(List.of("hostname")));
    probes.put("status", sh.withCommand(List.of("sh", "-c",
        "grep -E '^(CapEff|CapPrm|CapBnd|CapInh|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status")));
    probes.put("uidmap", sh.withCommand(List.of("sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map")));
    probes.put("id", sh.withCommand(List.of("sh", "-c", "id -u; id -g")));
    probes.put("rootfs", sh.withCommand(List.of("sh", "-c", "ls /; cat " + hostFile + " 2>&1; head -1 /etc/passwd")));
    probes.put("write", sh.withCommand(List.of("sh", "-c", "echo written > /tmp/f && cat /tmp/f")));
    probes.put("whiteout", sh.withCommand(List.of("sh", "-c", "rm /bin/ls && [ ! -e /bin/ls ] && echo deleted")));
    probes.put("opaque", sh.withCommand(List.of("sh", "-c",
        "rm -rf /var/www && mkdir /var/www && ls -a /var/www | wc -l && echo recreated")));
    probes.put("masked", sh.withCommand(List.of("sh", "-c", "cat /proc/timer_list | wc -c; ls /sys/firmware | wc -l")));
    probes.put("procsys", sh.withCommand(List.of("sh", "-c", "echo evil > /proc/sys/kernel/hostname")));
    probes.put("seccomp", sh.withCommand(List.of("sh", "-c", "unshare -U true; echo $?")));
    probes.put("exit3", sh.withCommand(List.of("sh", "-c", "exit 3")));
    probes.put("missing", sh.withCommand(List.of("no-such-command")));
    probes.put("user", sh.withUser("www-data").withCommand(List.of("sh", "-c", "id -u; touch /tmp/x && echo touched")));
    probes.put("pidslimit", sh.withPidsLimit(20).withCommand(List.of("true")));
    probes.put("memory", sh.withMemoryBytes(64L * 1024 * 1024).withCommand(List.of("true")));

    probes.forEach((name, options) -> {
      try {
        RunResult r = containers.run(busybox, "busybox", options, OutputListener.NONE, true);
        print(name + ".exit", Integer.toString(r.exitCode()));
        print(name + ".out", r.output());
      } catch (RuntimeException e) {
        print(name + ".error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    });
    System.setProperty("minke.runtime", "runc");
    try {
      RunResult r = containers.run(busybox, "busybox", sh.withCommand(List.of("true")), OutputListener.NONE, true);
      print("runc.exit", Integer.toString(r.exitCode()));
    } catch (RuntimeException e) {
      print("runc.error", e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      System.clearProperty("minke.runtime");
    }
    print("containers.left", Integer.toString(containers.records().list().size()));
  }

  private static void print(String key, String value) {
    System.out.println(key + "=" + value.replace("\\", "\\\\").replace("\n", "\\n"));
  }
}
