package dev.minke.cli;

import dev.minke.registry.RegistryClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code minke login [-u USER] [-p PASS | --password-stdin] REGISTRY}: checks the credentials
 * against the registry and saves them in Docker's config file, where Docker finds them too.
 */
final class LoginCommand implements Command {
  private final InputStream stdin;

  LoginCommand() {
    this(System.in);
  }

  LoginCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public String usage() {
    return "login [-u USER] [-p PASS | --password-stdin] REGISTRY";
  }

  @Override
  public String summary() {
    return "Log in to a registry (credentials go to ~/.docker/config.json)";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException, IOException {
    Args parsed = Args.parse(args, List.of("-u", "--username", "-p", "--password"), List.of("--password-stdin"));
    String registry = parsed.positional(1).get(0);
    String user = parsed.option("-u", parsed.option("--username"));
    String password = parsed.option("-p", parsed.option("--password"));
    BufferedReader input = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    if (parsed.flag("--password-stdin")) {
      if (password != null) {
        throw new UsageException("--password and --password-stdin are mutually exclusive");
      }
      if (user == null) {
        throw new UsageException("--password-stdin needs --username");
      }
      password = input.lines().findFirst().orElse("");
    }
    if (user == null) {
      out.print("Username: ");
      out.flush();
      user = input.readLine();
    }
    if (password == null) {
      java.io.Console console = System.console();
      if (console != null) {
        char[] typed = console.readPassword("Password: ");
        password = typed == null ? "" : new String(typed);
      } else {
        out.print("Password: ");
        out.flush();
        password = input.readLine();
      }
    }
    if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
      throw new UsageException("a username and a password are needed");
    }
    RegistryClient.defaults().login(registry, user, password);
    out.println("Login Succeeded");
    return 0;
  }
}
