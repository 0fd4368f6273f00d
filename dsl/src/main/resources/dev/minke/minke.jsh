// Minke's JShell startup: the DSL is imported, so the README's quickstart is typed as is.
//   var img = from("busybox").workdir("/app").copy("README.md", "/app/").build();
//   img.history();  img.layer(1).diff();  img.show();
import static dev.minke.Minke.*;
import dev.minke.dsl.*;
// JShell imports java.util.* too: a single-type import makes Stack Minke's, not java.util.Stack.
import dev.minke.dsl.Stack;
import dev.minke.build.CopyOptions;
import dev.minke.build.BuildOptions;
import dev.minke.runtime.RunOptions;
System.setProperty("minke.compactErrors", "true");
