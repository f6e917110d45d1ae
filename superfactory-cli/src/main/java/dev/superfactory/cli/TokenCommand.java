package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import dev.superfactory.server.store.Database;
import dev.superfactory.server.store.NotFoundException;
import dev.superfactory.server.store.Principal;
import dev.superfactory.server.store.TenantStore;
import dev.superfactory.server.store.TokenStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
   * works; with {@code --save} it writes the token and the server's URL to the client config file
   * instead ({@link ClientConfig#save}), so the client commands need no environment. Beside a
   * running {@code serve} on the same data directory it connects to that server's database (and
   * takes its URL). Cost: one database open and one transaction.
   */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a token for a tenant, the operator or a site's agent and print it; it is shown only"
          + " this once (the database keeps its SHA-256). With --save, write it to the client config file instead."})
  static final class Create implements Callable<Integer> {
    /** ASSUMPTION: 90 days, a common default lifetime of personal access tokens. */
    static final int DEFAULT_DAYS = 90;

    static final class Who {
      @Option(names = "--tenant", paramLabel = "T", required = true, description = "A tenant's token: sees only its jobs.")
      String tenant;

      @Option(names = "--operator", required = true, description = "An operator's token: sees every tenant's jobs.")
      boolean operator;

      @Option(names = "--agent", paramLabel = "SITE", required = true,
          description = "A site agent's token: may only lease SITE's commands and report its shards.")
      String agent;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(names = "--days", paramLabel = "N", defaultValue = "" + DEFAULT_DAYS,
        description = "Days until the token expires. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--save", description = "Write url and token to the client config file (mode 0600) instead of"
        + " printing the token.")
    boolean save;

    @Option(names = "--url", paramLabel = "URL", description = "With --save: the server's URL. Default: the URL of the"
        + " serve running on the data directory, else " + ApiClient.DEFAULT_URL + ".")
    String url;

    @Option(names = "--config", paramLabel = "FILE", description = "With --save: the file. Default: $SUPERFACTORY_CONFIG,"
        + " else $XDG_CONFIG_HOME/superfactory/client.yaml (~/.config if unset).")
    Path config;

    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (days <= 0) {
        throw new InputException("--days: must be greater than 0, got " + days);
      }
      if (!save && (url != null || config != null)) {
        throw new InputException((url != null ? "--url" : "--config") + ": only with --save");
      }
      String secret;
      try (Database db = store.openBesideServer()) {
        secret = create(new TokenStore(db.dataSource(), Clock.systemUTC()), new TenantStore(db.dataSource()));
      }
      if (save) {
        Map<String, String> env = ((Main) spec.root().userObject()).env;
        Path file = ClientConfig.path(config, env);
        String server = url != null ? url : StoreOptions.runningServerUrl(store.dataDirectory()).orElse(ApiClient.DEFAULT_URL);
        ClientConfig.save(file, server, secret);
        spec.commandLine().getOut().println("Saved a token for the " + principal().describe() + " and " + server + " in " + file);
      } else {
        spec.commandLine().getOut().println(secret);
      }
      return 0;
    }

    private Principal principal() {
      return who.tenant != null ? Principal.tenant(who.tenant)
          : who.agent != null ? Principal.agent(who.agent) : Principal.operator();
    }

    private String create(TokenStore tokens, TenantStore tenants) {
      try {
        return tokens.create(principal(), Duration.ofDays(days), "superfactory token create").secret();
      } catch (NotFoundException e) {
        throw who.tenant != null
            ? new InputException("--tenant " + who.tenant + ": no such tenant; the tenants are " + tenants.names(), e)
            : new InputException("--agent " + who.agent + ": no such site; the sites are " + tokens.sites()
                + (tokens.sites().isEmpty() ? " (a site is known once 'superfactory serve' has run on this database)" : ""), e);
      }
    }
  }
}
