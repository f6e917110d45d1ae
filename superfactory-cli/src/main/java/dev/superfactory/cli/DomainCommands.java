package dev.superfactory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.superfactory.input.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * An operator's client commands on a scale-up domain of a running {@code serve}, with Kubernetes'
 * meanings: {@code drain} (its jobs stop and restart elsewhere or requeue; like {@code kubectl
 * drain}), {@code restore}, {@code cordon} (no new job; its jobs run to their end; like
 * {@code kubectl cordon}) and {@code uncordon}. Each is one HTTP call through {@link ApiClient} and
 * prints one line. Domains are numbered fleet-wide, as {@code GET /v1/fleet} lists them.
 */
final class DomainCommands {
  private DomainCommands() {
  }

  /** {@code POST /v1/fleet/domains/DOMAIN/ACTION}; prints {@code done} if it changed something, else {@code already}. */
  abstract static class DomainAction implements Callable<Integer> {
    @Parameters(paramLabel = "DOMAIN", description = "The scale-up domain's fleet-wide index (as GET /v1/fleet lists it).")
    int domain;

    @Mixin ApiClient api;
    @Spec CommandSpec spec;

    private final String action;
    private final String done;
    private final String already;

    DomainAction(String action, String done, String already) {
      this.action = action;
      this.done = done;
      this.already = already;
    }

    @Override
    public Integer call() {
      if (domain < 0) {
        throw new InputException("DOMAIN: must be 0 or more, got " + domain);
      }
      JsonNode r = api.post("/v1/fleet/domains/" + domain + "/" + action, JsonNodeFactory.instance.objectNode()).body();
      spec.commandLine().getOut().println(String.format(r.path("changed").asBoolean() ? done : already, domain));
      return 0;
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true, description = {
      "Drain a scale-up domain (operator token): its jobs stop and restart elsewhere or queue again;"
          + " it takes no job until restored."})
  static final class Drain extends DomainAction {
    Drain() {
      super("drain", "Drained domain %d: its jobs restart elsewhere or queue again", "Domain %d was already drained");
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true, description = {
      "Put a drained scale-up domain back in service (operator token)."})
  static final class Restore extends DomainAction {
    Restore() {
      super("restore", "Restored domain %d", "Domain %d was not drained");
    }
  }

  @Command(name = "cordon", mixinStandardHelpOptions = true, description = {
      "Cordon a scale-up domain (operator token): it takes no new job; its jobs run to their end and"
          + " its GPUs stay out of service as they are released, until uncordoned."})
  static final class Cordon extends DomainAction {
    Cordon() {
      super("cordon", "Cordoned domain %d: no new jobs; its jobs run to their end", "Domain %d was already cordoned");
    }
  }

  @Command(name = "uncordon", mixinStandardHelpOptions = true, description = {
      "Lift a scale-up domain's cordon (operator token): it takes jobs again unless drained."})
  static final class Uncordon extends DomainAction {
    Uncordon() {
      super("uncordon", "Uncordoned domain %d", "Domain %d was not cordoned");
    }
  }
}
