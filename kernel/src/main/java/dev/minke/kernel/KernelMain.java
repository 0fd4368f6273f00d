package dev.minke.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * The kernel process Jupyter starts: {@code java … dev.minke.kernel.KernelMain CONNECTION_FILE}.
 * Binds the five sockets the connection file names, answers until shutdown, and exits with the
 * process that started it (Jupyter sets {@code JPY_PARENT_PID}) so that a killed notebook
 * server leaves no kernel behind.
 */
public final class KernelMain {
  private KernelMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: java -cp … dev.minke.kernel.KernelMain CONNECTION_FILE"
          + " (Jupyter starts it; install the kernel with `bin/minke kernel install`)");
      System.exit(2);
    }
    // basekernel logs every loop start and message at INFO on stderr: noise in a notebook server log.
    java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
    JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
    exitWithParent();
    KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    JupyterConnection connection = new JupyterConnection(properties);
    MinkeKernel kernel = new MinkeKernel();
    kernel.becomeHandlerForConnection(connection);
    connection.setHandler(MessageType.KERNEL_INFO_REQUEST, (env, request) -> {
      env.setBusyDeferIdle();
      env.reply(new KernelInfoReplyOk(Header.PROTOCOL_VERISON, "minke", KernelVersion.VERSION,
          kernel.getLanguageInfo(), kernel.getBanner(), kernel.getHelpLinks()));
    });
    connection.connect();
    connection.waitUntilClose();
    System.exit(0);
  }

  private static void exitWithParent() {
    String parent = System.getenv("JPY_PARENT_PID");
    if (parent == null || !parent.matches("\\d+")) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
        process -> process.onExit().thenRun(() -> System.exit(0)),
        () -> System.exit(0));
  }
}
