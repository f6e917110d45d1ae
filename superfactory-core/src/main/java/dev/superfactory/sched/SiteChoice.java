package dev.superfactory.sched;

import java.util.Locale;

/**
 * Which site a gang that fits on one site is placed on, when several could hold it (the
 * {@code scheduler.siteChoice} of a scenario). Within the chosen site the placer always packs:
 * one domain, else one block, else the fewest blocks.
 */
public enum SiteChoice {
  /**
   * Best fit at every level: the fullest domain anywhere that holds the gang, else the fullest
   * block, else the site with the least room that holds it; ties go to the site named first. New
   * gangs fill partly used domains and blocks before breaking into empty ones, keeping whole
   * blocks free for the largest gangs; the balance between sites follows the job mix.
   */
  BEST_FIT("the fullest domain, block, then site that holds the gang; keeps empty blocks whole for large gangs"),
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
