package dev.minke.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The table of `minke` verbs, in the order `minke help` lists them. */
final class Commands {
  private Commands() {}

  static Map<String, Command> all() {
    Map<String, Command> verbs = new LinkedHashMap<>();
    // Each verb registers here on its own line.
    verbs.put("build", new BuildCommand());
    verbs.put("images", new ImagesCommand());
    verbs.put("history", new HistoryCommand());
    verbs.put("inspect", new InspectCommand());
    verbs.put("tag", new TagCommand());
    verbs.put("rmi", new RmiCommand());
    verbs.put("import", new ImportCommand());
    verbs.put("save", new SaveCommand());
    verbs.put("load", new LoadCommand());
    verbs.put("export", new ExportCommand());
    verbs.put("pull", new PullCommand());
    verbs.put("push", new PushCommand());
    verbs.put("login", new LoginCommand());
    verbs.put("logout", new LogoutCommand());
    verbs.put("busybox", new BusyboxCommand());
    verbs.put("run", new RunCommand());
    verbs.put("ps", new ContainerCommands.Ps());
    verbs.put("exec", new ContainerCommands.Exec());
    verbs.put("logs", new ContainerCommands.Logs());
    verbs.put("wait", new ContainerCommands.Wait());
    verbs.put("stop", new ContainerCommands.Stop());
    verbs.put("kill", new ContainerCommands.Kill());
    verbs.put("rm", new ContainerCommands.Rm());
    verbs.put("diff", new ContainerCommands.Diff());
    verbs.put("commit", new ContainerCommands.Commit());
    verbs.put("volume create", new VolumeCommands.Create());
    verbs.put("volume ls", new VolumeCommands.Ls());
    verbs.put("volume inspect", new VolumeCommands.Inspect());
    verbs.put("volume rm", new VolumeCommands.Rm());
    verbs.put("volume prune", new VolumeCommands.Prune());
    verbs.put("network create", new NetworkCommand(NetworkCommand.Verb.CREATE));
    verbs.put("network ls", new NetworkCommand(NetworkCommand.Verb.LS));
    verbs.put("network rm", new NetworkCommand(NetworkCommand.Verb.RM));
    verbs.put("network inspect", new NetworkCommand(NetworkCommand.Verb.INSPECT));
    verbs.put("layer apply", new LayerApplyCommand());
    verbs.put("layer create", new LayerCreateCommand());
    verbs.put("dockerfile dump", new DockerfileDumpCommand());
    verbs.put("fsck", new FsckCommand());
    verbs.put("gc", new GcCommand());
    verbs.put("runtime", new RuntimeCommand(null));
    verbs.put("runtime create", new RuntimeCommand(RuntimeCommand.Verb.CREATE));
    verbs.put("runtime start", new RuntimeCommand(RuntimeCommand.Verb.START));
    verbs.put("runtime state", new RuntimeCommand(RuntimeCommand.Verb.STATE));
    verbs.put("runtime kill", new RuntimeCommand(RuntimeCommand.Verb.KILL));
    verbs.put("runtime delete", new RuntimeCommand(RuntimeCommand.Verb.DELETE));
    return verbs;
  }
}
