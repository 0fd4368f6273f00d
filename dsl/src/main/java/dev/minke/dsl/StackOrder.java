package dev.minke.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order a stack's services start in: each after the services it depends on, otherwise in the
 * order they were declared (so the same stack always starts the same way).
 */
final class StackOrder {
  private StackOrder() {}

  static List<Service> of(String stack, List<Service> services) {
    Map<String, Service> byName = new LinkedHashMap<>();
    for (Service service : services) {
      byName.put(service.name(), service);
    }
    for (Service service : services) {
      for (String dependency : service.dependsOn()) {
        if (!byName.containsKey(dependency)) {
          throw new StackDefinitionException(stack, "service " + service.name() + " depends on \"" + dependency
              + "\", which the stack does not have", "add it with .service(Service.of(\"" + dependency
              + "\", ...)) or drop the dependency; the stack has " + String.join(", ", byName.keySet()));
        }
      }
    }
    // Depth-first in declaration order: a service is placed once all it depends on are.
    List<Service> order = new ArrayList<>();
    Map<String, Boolean> done = new HashMap<>(); // false: on the current path, true: placed
    for (Service service : services) {
      visit(stack, service, byName, done, new ArrayList<>(), order);
    }
    return order;
  }

  private static void visit(String stack, Service service, Map<String, Service> byName, Map<String, Boolean> done,
      List<String> path, List<Service> order) {
    Boolean state = done.get(service.name());
    if (Boolean.TRUE.equals(state)) {
      return;
    }
    path.add(service.name());
    if (Boolean.FALSE.equals(state)) {
      List<String> cycle = path.subList(path.indexOf(service.name()), path.size());
      throw new StackDefinitionException(stack, "the services depend on each other in a cycle: "
          + String.join(" -> ", cycle), "remove one of these depends_on so that some service can start first");
    }
    done.put(service.name(), false);
    for (String dependency : service.dependsOn()) {
      visit(stack, byName.get(dependency), byName, done, path, order);
    }
    done.put(service.name(), true);
    path.remove(path.size() - 1);
    order.add(service);
  }
}
