package dev.superfactory.perf;

import dev.superfactory.input.InputException;
import java.util.Locale;

/**
 * How data-parallel replicas in different sites keep in step over the WAN.
 *
 * <ul>
 *   <li>{@link Kind#SYNC}: synchronous hierarchical data parallelism. Each step, gradients are
 *       reduce-scattered inside each site, the shards all-reduced across the sites over the WAN, and
 *       gathered back inside each site.
 *   <li>{@link Kind#DILOCO}: local SGD after DiLoCo (Douillard et al., arXiv 2311.08105): each site
 *       trains its own replica with synchronous data parallelism inside the site, and every
 *       {@code outerSteps} (H) steps the sites all-reduce their parameter change over the WAN and
 *       apply an outer Nesterov step. The WAN carries one model's worth of bytes per H steps.
 * </ul>
 *
 * @param kind sync or diloco
 * @param outerSteps H, the inner steps between outer synchronisations (1 for sync)
 */
public record CrossSiteStrategy(Kind kind, int outerSteps) {
  /** The two strategies. */
  public enum Kind {
    SYNC,
    DILOCO
  }

  public CrossSiteStrategy {
    if (kind == null) {
      throw new IllegalArgumentException("kind must not be null");
    }
    if (outerSteps < 1) {
      throw new InputException("diloco outer steps H must be >= 1, got " + outerSteps);
    }
    if (kind == Kind.SYNC && outerSteps != 1) {
      throw new IllegalArgumentException("sync has no outer steps, got " + outerSteps);
    }
  }

  public static CrossSiteStrategy sync() {
    return new CrossSiteStrategy(Kind.SYNC, 1);
  }

  public static CrossSiteStrategy diloco(int outerSteps) {
    return new CrossSiteStrategy(Kind.DILOCO, outerSteps);
  }

  /** {@code sync}, or {@code diloco:H} with H ≥ 1 inner steps per outer synchronisation. */
  public static CrossSiteStrategy parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("sync")) {
      return sync();
    }
    if (t.startsWith("diloco:")) {
      String h = t.substring("diloco:".length());
      try {
        return diloco(Integer.parseInt(h));
      } catch (NumberFormatException e) {
        throw new InputException("diloco needs a whole number of inner steps, e.g. diloco:100; got '" + text + "'");
      }
    }
    throw new InputException("unknown strategy '" + text + "' (known: sync, diloco:H such as diloco:100)");
  }

  public boolean isDiloco() {
    return kind == Kind.DILOCO;
  }

  /** {@code sync} or {@code diloco:100}, as the command line takes it. */
  public String label() {
    return kind == Kind.SYNC ? "sync" : "diloco:" + outerSteps;
  }

  @Override
  public String toString() {
    return label();
  }
}
