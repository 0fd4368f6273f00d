package dev.minke.dsl;

import dev.minke.store.Store;
import java.nio.file.Path;

/** The store the DSL uses when none is given: {@code $MINKE_HOME}, or one the user chose. */
public final class Stores {
  private static volatile Store current;

  private Stores() {}

  /** The current store, opened on first use. */
  public static Store current() {
    Store store = current;
    if (store == null) {
      synchronized (Stores.class) {
        if (current == null) {
          current = Store.openDefault();
        }
        store = current;
      }
    }
    return store;
  }

  /** Switches the DSL to the store at {@code home} (created if needed). */
  public static Store use(Path home) {
    Store store = Store.open(home);
    current = store;
    return store;
  }
}
