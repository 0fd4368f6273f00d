package dev.minke.runtime;

import dev.minke.error.MinkeException;

/** No way to run containers here: no minke-init in this build and no runc or crun installed. */
public class NoRuntimeException extends MinkeException {
  public NoRuntimeException(String why) {
    super("cannot run containers: " + why,
        "build Minke where gcc and libseccomp-dev are installed (sudo apt-get install gcc libseccomp-dev),"
            + " or install runc or crun; builds without RUN steps work without a runtime");
  }
}
