package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Create API tokens for the control plane.",
    subcommands = {TokenCommand.Create.class})
final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'superfactory token create'");
  }

  /**
   * Prints a new token and nothing else on stdout, so {@code TOKEN=$(superfactory token create ...)}
   * works. Beside a running {@code serve} on the same data directory it connects to that server's
   * database. Cost: one database open and one transaction.
   */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a token for a tenant or the operator and print it; it is shown only this once"
          + " (the database keeps its SHA-256)."})
  static final class Create implements Callable<Integer> {
    /** ASSUMPTION: 90 days, a common default lifetime of personal access tokens. */
    static final int DEFAULT_DAYS = 90;

    static final class Who {
      @Option(names = "--tenant", paramLabel = "T", required = true, description = "A tenant's token: sees only its jobs.")
      String tenant;

      @Option(names = "--operator", required = true, description = "An operator's token: sees every tenant's jobs.")
      boolean operator;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(names = "--days", paramLabel = "N", defaultValue = "" + DEFAULT_DAYS,
        description = "Days until the token expires. Default: ${DEFAULT-VALUE}.")
    int days;

    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (days <= 0) {
        throw new InputException("--days: must be greater than 0, got " + days);
      }
      Principal principal = who.tenant != null ? Principal.tenant(who.tenant) : Principal.operator();
      try (Database db = store.openBesideServer()) {
        try {
          String secret = new TokenStore(db.dataSource(), Clock.systemUTC())
              .create(principal, Duration.ofDays(days), "superfactory token create").secret();
          spec.commandLine().getOut().println(secret);
        } catch (NotFoundException e) {
          throw new InputException("--tenant " + who.tenant + ": no such tenant; the tenants are "
              + new TenantStore(db.dataSource()).names(), e);
        }
      }
      return 0;
    }
  }
}
