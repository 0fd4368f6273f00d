package dev.minke.runtime.net;

import dev.minke.error.MinkeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Minke's iptables rules, all in chains of its own ({@code MINKE-*}), so nothing of another tool's
 * (podman's {@code CNI-*}, Docker's) is ever listed, flushed or changed. Only the nf_tables
 * backend is used ({@code iptables-nft}): on this kind of host even listing a legacy table
 * creates it for good (research/derisk-runtime.md §4).
 *
 * <ul>
 *   <li>nat {@code MINKE-DNAT}, jumped to from PREROUTING and OUTPUT for local destinations: one
 *       DNAT rule per published port.
 *   <li>nat {@code MINKE-POSTROUTING}: per network, MASQUERADE of the subnet's outbound traffic,
 *       and of traffic from 127.0.0.0/8 into the bridge: a published port reached on the host's
 *       127.0.0.1 needs that SNAT plus {@code route_localnet=1} on the bridge, or the reply never
 *       finds its way back.
 *   <li>filter {@code MINKE-FORWARD}, jumped to first from FORWARD: accept to and from the
 *       bridges, in case the FORWARD policy is DROP.
 * </ul>
 *
 * Why not CNI's {@code portmap} plugin: its DEL leaves the shared {@code CNI-HOSTPORT-*} chains and
 * their jumps behind by design, and they are shared with podman on this host, so Minke could
 * neither remove them nor leave the host as it found it.
 */
final class Firewall {
  static final String DNAT = "MINKE-DNAT";
  static final String POSTROUTING = "MINKE-POSTROUTING";
  static final String FORWARD = "MINKE-FORWARD";

  private final String iptables;

  Firewall() {
    this.iptables = Files.isExecutable(Path.of("/usr/sbin/iptables-nft")) ? "/usr/sbin/iptables-nft"
        : Files.isExecutable(Path.of("/sbin/iptables-nft")) ? "/sbin/iptables-nft" : "iptables";
  }

  /** The jumps into Minke's chains, created with the chains when the first network comes up. */
  private static final List<List<String>> JUMPS = List.of(
      List.of("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT),
      List.of("nat", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT),
      List.of("nat", "POSTROUTING", "-j", POSTROUTING),
      List.of("filter", "FORWARD", "-j", FORWARD));

  void ensureChains() {
    for (String[] chain : new String[][] {{"nat", DNAT}, {"nat", POSTROUTING}, {"filter", FORWARD}}) {
      if (!run("-t", chain[0], "-n", "-L", chain[1]).ok()) {
        check(run("-t", chain[0], "-N", chain[1]), "create chain " + chain[1]);
      }
    }
    for (List<String> jump : JUMPS) {
      ensure(jump, jump.get(1).equals("FORWARD"));
    }
  }

  /** Removes the jumps and the (then empty) chains: the last network went away. */
  void removeChains() {
    for (List<String> jump : JUMPS) {
      delete(jump);
    }
    for (String[] chain : new String[][] {{"nat", DNAT}, {"nat", POSTROUTING}, {"filter", FORWARD}}) {
      run("-t", chain[0], "-F", chain[1]); // our own chain: its rules are ours
      run("-t", chain[0], "-X", chain[1]);
    }
  }

  List<List<String>> networkRules(Network network) {
    String comment = "minke network " + network.name();
    return List.of(
        List.of("nat", POSTROUTING, "-s", network.subnet(), "!", "-o", network.bridge(), "-m", "comment",
            "--comment", comment, "-j", "MASQUERADE"),
        List.of("nat", POSTROUTING, "-s", "127.0.0.0/8", "-o", network.bridge(), "-m", "comment", "--comment",
            comment, "-j", "MASQUERADE"),
        List.of("filter", FORWARD, "-i", network.bridge(), "-m", "comment", "--comment", comment, "-j", "ACCEPT"),
        List.of("filter", FORWARD, "-o", network.bridge(), "-m", "comment", "--comment", comment, "-j", "ACCEPT"));
  }

  List<List<String>> portRules(Attachment a) {
    List<List<String>> rules = new ArrayList<>();
    for (PortMapping p : a.ports()) {
      List<String> rule = new ArrayList<>(List.of("nat", DNAT));
      if (!p.hostIp().equals("0.0.0.0")) {
        rule.addAll(List.of("-d", p.hostIp() + "/32"));
      }
      rule.addAll(List.of("-p", p.protocol(), "--dport", Integer.toString(p.hostPort()), "-m", "comment", "--comment",
          "minke container " + a.containerId().substring(0, 12), "-j", "DNAT", "--to-destination",
          a.address() + ":" + p.containerPort()));
      rules.add(rule);
    }
    return rules;
  }

  /** Appends a rule unless it is there ({@code -C}); {@code first}: insert at the top instead. */
  void ensure(List<String> rule, boolean first) {
    List<String> args = new ArrayList<>(List.of("-t", rule.get(0), "-C"));
    args.addAll(rule.subList(1, rule.size()));
    if (run(args).ok()) {
      return;
    }
    args.set(2, first ? "-I" : "-A");
    if (first) {
      args.add(4, "1");
    }
    check(run(args), "add rule " + String.join(" ", rule.subList(1, rule.size())));
  }

  /** Deletes a rule by its text; a rule that is not there is fine. */
  void delete(List<String> rule) {
    List<String> args = new ArrayList<>(List.of("-t", rule.get(0), "-D"));
    args.addAll(rule.subList(1, rule.size()));
    while (run(args).ok()) {
      // Once per copy, should there be several.
    }
  }

  private HostCommand.Result run(String... args) {
    return run(List.of(args));
  }

  private HostCommand.Result run(List<String> args) {
    List<String> command = new ArrayList<>(List.of(iptables, "-w", "5"));
    command.addAll(args);
    return HostCommand.run(command, java.util.Map.of(), null);
  }

  private static void check(HostCommand.Result result, String what) {
    if (!result.ok()) {
      throw new MinkeException("iptables could not " + what + ": " + result.message(),
          "Minke needs root and iptables (nf_tables) for bridge networking; `none` and `host` need neither");
    }
  }
}
