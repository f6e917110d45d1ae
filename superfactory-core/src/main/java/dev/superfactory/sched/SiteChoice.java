package dev.superfactory.sched;

import java.util.Locale;

/**
 * Which site a gang that fits on one site is placed on, when several could hold it (the
 * {@code scheduler.siteChoice} of a scenario). Within the chosen site the placer always packs:
 * one domain, else one block, else the fewest blocks.
 */
public enum SiteChoice {
  /**
   * Best fit: the site (domain, block) with the least room that still holds the gang, so the
   * emptier sites stay whole for the largest gangs. Sites fill one after the other: with two
   * sites, the first named fills up before the second takes much.
   */
  BEST_FIT("the site with the least room that holds the gang; keeps the others whole for large gangs"),
  /**
   * Least loaded: the site with the largest share of its GPUs free, balancing the sites' load
   * (and power draw) at the cost of fragmenting both for the largest gangs.
   */
  LEAST_LOADED("the site with the largest share of its GPUs free; balances the sites");

  private final String rule;

  SiteChoice(String rule) {
    this.rule = rule;
  }

  /** The rule in a few words, for reports. */
  public String rule() {
    return rule;
  }

  /** {@code best-fit}, {@code least-loaded}: as scenarios and results name it. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The choice named {@code key}, or null. */
  public static SiteChoice of(String key) {
    for (SiteChoice c : values()) {
      if (c.key().equals(key)) {
        return c;
      }
    }
    return null;
  }
}
