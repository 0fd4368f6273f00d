package dev.minke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other integration test and fails if the run left a cgroup, a mount or a
 * minke-init process, bridge, veth or iptables rule behind that was not there when it started
 * (issues 3 and 6: every test cleans up).
 */
@Order(Integer.MAX_VALUE)
class LeftoversIT {
  @Test
  void run_leftNoCgroupMountOrProcessBehind() throws InterruptedException {
    // A container killed by the last test may need a moment for its cgroup to empty.
    Set<String> cgroups = Set.of();
    Set<String> mounts = Set.of();
    Set<String> processes = Set.of();
    Set<String> links = Set.of();
    Set<String> firewall = Set.of();
    for (int attempt = 0; attempt < 50; attempt++) {
      cgroups = minus(SuiteBaseline.minkeCgroups(), SuiteBaseline.cgroupsAtStart());
      mounts = minus(SuiteBaseline.minkeMounts(), SuiteBaseline.mountsAtStart());
      processes = minus(SuiteBaseline.minkeInitProcesses(), SuiteBaseline.processesAtStart());
      links = minus(SuiteBaseline.networkLinks(), SuiteBaseline.linksAtStart());
      firewall = minus(SuiteBaseline.minkeFirewallRules(), SuiteBaseline.firewallAtStart());
      if (cgroups.isEmpty() && mounts.isEmpty() && processes.isEmpty() && links.isEmpty() && firewall.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(Set.of(), cgroups, "cgroups left behind");
    assertEquals(Set.of(), mounts, "mounts left behind");
    assertEquals(Set.of(), processes, "minke-init processes left behind");
    assertEquals(Set.of(), links, "bridges or veth devices left behind");
    assertEquals(Set.of(), firewall, "iptables rules of Minke left behind");
  }

  private static Set<String> minus(Set<String> now, Set<String> before) {
    Set<String> left = new TreeSet<>(now);
    left.removeAll(before);
    return left;
  }
}
