package dev.superfactory.cli;

import dev.superfactory.agent.AgentRunner;
import dev.superfactory.agent.ControlPlaneClient;
import dev.superfactory.agent.NodeMap;
import dev.superfactory.agent.SiteBackend;
import dev.superfactory.agent.WanProbe;
import dev.superfactory.input.InputException;
import dev.superfactory.input.Units;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code superfactory agent}: a site agent as its own process ({@link AgentRunner}) until SIGTERM
 * or Ctrl-C. It checks its token and site against the control plane once before it starts, so a
 * wrong one is a one-line error (exit 2), not a retry loop.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run a site's agent on its cluster manager until stopped (Ctrl-C or SIGTERM).",
        "It leases the site's commands from the"
        + " control plane, starts, prepares and stops shards on the site's cluster on the nodes the node map gives"
        + " for each placement, and reports their states. On start and after the control plane was unreachable it"
        + " reconciles: shards the control plane does not know are stopped, shards it believes live that the"
        + " cluster lacks are reported failed."})
final class AgentCommand implements Callable<Integer> {
  @Option(names = "--site", paramLabel = "NAME", required = true, description = "The site this agent runs.")
  String site;

  @Option(names = "--control-plane", paramLabel = "URL", required = true,
      description = "The control plane's base URL, e.g. http://127.0.0.1:8080.")
  String controlPlane;

  @Option(names = "--token", paramLabel = "T", required = true,
      description = "The site's agent token ('superfactory token create --agent SITE') or an operator token.")
  String token;

  @Option(names = "--nodes", paramLabel = "MAP.yaml", required = true,
      description = "The node map: which cluster nodes hold which GPUs of the fleet's domains (see README).")
  Path nodes;

  @Option(names = "--backend", paramLabel = "NAME", required = true, description = "The cluster manager: slurm or kubernetes.")
  String backend;

  @Option(names = "--time-scale", paramLabel = "X", defaultValue = "1",
      description = "A shard runs its job's durationSeconds divided by X. Default: ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(names = "--poll-interval", paramLabel = "D", defaultValue = "1s",
      description = "How often the agent leases commands and reads the cluster (500ms, 2s). Default: ${DEFAULT-VALUE}.")
  String pollInterval;

  @Option(names = "--notice-grace", paramLabel = "D", defaultValue = "30s",
      description = "Between a stop's notice signal and the kill. Default: ${DEFAULT-VALUE}.")
  String noticeGrace;

  @Option(names = "--checkpoint-root", paramLabel = "DIR", defaultValue = "/var/lib/superfactory/checkpoints",
      description = "Shards checkpoint to DIR/TENANT/JOB (SF_CHECKPOINT_DIR). Default: ${DEFAULT-VALUE}.")
  String checkpointRoot;

  @Option(names = "--slurm-rest", paramLabel = "URL", description = "slurm: slurmrestd's URL.")
  String slurmRest;

  @Option(names = "--slurm-user", paramLabel = "U", description = "slurm: the user jobs are submitted as.")
  String slurmUser;

  @Option(names = "--slurm-token-file", paramLabel = "F", description = "slurm: a file holding the JWT from 'scontrol token'.")
  Path slurmTokenFile;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "kubernetes: the kubeconfig (its current context). Default: $KUBECONFIG, else ~/.kube/config.")
  Path kubeconfig;

  @Option(names = "--namespace", paramLabel = "NS", description = "kubernetes: the pods' namespace. Default: the context's.")
  String namespace;

  @Option(names = "--image", paramLabel = "IMAGE", description = "kubernetes: the shards' container image. Default: busybox:1.36.")
  String image;

  @Option(names = "--gpu-resource", paramLabel = "NAME",
      description = "kubernetes: the GPU extended resource. Default: nvidia.com/gpu.")
  String gpuResource;

  @Option(names = "--tolerate", paramLabel = "KEY",
      description = "kubernetes: a taint key the shard pods tolerate (any value and effect), beside the GPU resource's"
          + " own (nvidia.com/gpu). Repeat for more.")
  java.util.List<String> tolerate = new java.util.ArrayList<>();

  @Option(names = "--wan-probe", paramLabel = "SITE=HOST:PORT",
      description = "Probe the AI WAN to another site: every probe interval, a TCP connection to HOST:PORT there (any"
          + " service that accepts one, e.g. its slurmrestd). Three failures in a row report the link to SITE cut"
          + " (its gangs stall or shrink, as the scenario says); two successes, up again. Repeat per site.")
  java.util.List<String> wanProbes = new java.util.ArrayList<>();

  @Option(names = "--wan-probe-interval", paramLabel = "D", defaultValue = "2s",
      description = "How often the WAN is probed; each probe waits at most this long. Default: ${DEFAULT-VALUE}.")
  String wanProbeInterval;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AgentRunner.Settings settings = settings();
    java.util.List<WanProbe.Target> wanTargets = wanTargets();
    Duration wanInterval = duration("--wan-probe-interval", wanProbeInterval);
    if (wanInterval.toMillis() < 1) {
      throw new InputException("--wan-probe-interval: " + wanProbeInterval + " must be at least 1ms");
    }
    NodeMap map = NodeMap.read(nodes);
    if (!map.site().equals(site)) {
      throw new InputException(nodes + ": site: the map is of site '" + map.site() + "', not --site " + site);
    }
    ControlPlaneClient client = client();
    ControlPlaneClient.ShardList view = checkAccess(client);
    String misfit = map.misfit(view.domains());
    if (misfit != null) {
      throw new InputException(nodes + ": " + misfit);
    }
    for (WanProbe.Target t : wanTargets) {
      if (!view.linkedSites().isEmpty() && !view.linkedSites().contains(t.site())) { // empty: an older control plane
        throw new InputException("--wan-probe: site " + t.site() + " has no WAN link to " + site + "; its linked sites are "
            + view.linkedSites());
      }
    }
    SiteBackend cluster = AgentBackends.open(backend, new AgentBackends.Options(slurmRest, slurmUser, slurmTokenFile,
        checkpointRoot, kubeconfig, namespace, image, gpuResource, settings.noticeGrace(), tolerate));
    WanProbe probe = wanTargets.isEmpty() ? null : WanProbe.start(wanTargets, wanInterval, wanInterval);
    AgentRunner runner = AgentRunner.start(client, cluster, map, settings, probe == null ? null : probe::verdict);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> stop(runner, cluster, probe, stopped), "superfactory-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(java.util.Locale.ROOT, "agent of site %s: %s backend, %d nodes (%d GPUs) in the node map, control plane %s%n",
        site, cluster.kind(), map.nodes().size(), map.nodes().stream().mapToInt(NodeMap.Node::gpus).sum(), controlPlane);
    out.println("running until Ctrl-C or SIGTERM");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) { // in-process runs (tests) stop the agent by interrupting it
      Thread.currentThread().interrupt();
    } finally {
      if (stopped.getCount() > 0) { // interrupted (tests): stop here, not at JVM exit
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(runner, cluster, probe, stopped);
      }
    }
    return 0;
  }

  private static void stop(AgentRunner runner, SiteBackend cluster, WanProbe probe, CountDownLatch stopped) {
    try {
      if (probe != null) {
        probe.close();
      }
      runner.close();
      cluster.close();
    } finally {
      stopped.countDown();
    }
  }

  /** The --wan-probe targets; a malformed one, one naming this site or a site twice is a user error. */
  private java.util.List<WanProbe.Target> wanTargets() {
    java.util.List<WanProbe.Target> targets = new java.util.ArrayList<>();
    for (String text : wanProbes) {
      WanProbe.Target target;
      try {
        target = WanProbe.Target.parse(text);
      } catch (IllegalArgumentException e) {
        throw new InputException("--wan-probe: " + e.getMessage());
      }
      if (target.site().equals(site) || targets.stream().anyMatch(t -> t.site().equals(target.site()))) {
        throw new InputException("--wan-probe: '" + text + "': " + (target.site().equals(site)
            ? "a site does not probe itself" : "site " + target.site() + " is probed twice"));
      }
      targets.add(target);
    }
    return targets;
  }

  private AgentRunner.Settings settings() {
    if (!(timeScale > 0)) {
      throw new InputException("--time-scale: " + timeScale + " is not a positive number");
    }
    Duration poll = duration("--poll-interval", pollInterval);
    if (poll.isZero()) {
      throw new InputException("--poll-interval: " + pollInterval + " must be at least 1ms");
    }
    return new AgentRunner.Settings(timeScale, poll, duration("--notice-grace", noticeGrace),
        poll.compareTo(Duration.ofSeconds(30)) > 0 ? poll : Duration.ofSeconds(30), checkpointRoot, "USR1");
  }

  /** {@code text} as a duration ("500ms", "2s", "1m"), or a user error naming {@code option}. */
  static Duration duration(String option, String text) {
    try {
      double seconds = Units.parseDurationSeconds(text);
      if (seconds < 0) {
        throw new IllegalArgumentException("a duration is not negative");
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": '" + text + "' is not a duration such as 500ms, 2s or 1m");
    }
  }

  private ControlPlaneClient client() {
    try {
      return new ControlPlaneClient(URI.create(controlPlane), site, token, Duration.ofSeconds(10));
    } catch (IllegalArgumentException e) {
      String what = e.getMessage().startsWith("site") ? "--site" : "--control-plane";
      throw new InputException(what + ": " + e.getMessage());
    }
  }

  /** One call to the shards route: a wrong token, site or URL is a user error now. */
  /** The control plane's view of the site (its shards, its domains), or a user error naming the option at fault. */
  private ControlPlaneClient.ShardList checkAccess(ControlPlaneClient client) {
    try {
      return client.shards();
    } catch (ControlPlaneClient.Refused e) {
      String option = e.status() == 404 ? "--site" : e.status() == 401 || e.status() == 403 ? "--token" : "--control-plane";
      throw new InputException(option + ": the control plane refused the agent: " + e.getMessage());
    } catch (ControlPlaneClient.Unreachable e) {
      throw new InputException("--control-plane: cannot reach it: " + e.getMessage());
    }
  }
}
