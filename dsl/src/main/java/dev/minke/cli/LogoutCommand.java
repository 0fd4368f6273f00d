package dev.minke.cli;

import dev.minke.registry.RegistryClient;
import java.io.PrintStream;
import java.util.List;

/** {@code minke logout REGISTRY}: removes the registry's credentials from Docker's config file. */
final class LogoutCommand implements Command {
  @Override
  public String usage() {
    return "logout REGISTRY";
  }

  @Override
  public String summary() {
    return "Log out from a registry";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    String registry = Args.parse(args, List.of(), List.of()).positional(1).get(0);
    boolean removed = RegistryClient.defaults().logout(registry);
    out.println(removed ? "Removing login credentials for " + registry : "Not logged in to " + registry);
    return 0;
  }
}
