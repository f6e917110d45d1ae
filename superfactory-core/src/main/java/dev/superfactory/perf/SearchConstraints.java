package dev.superfactory.perf;

/**
 * Degrees the search must keep (0 = free to choose): {@code superfactory estimate --tp 8} searches
 * only layouts with TP 8. {@link #any()} leaves everything to the search.
 */
public record SearchConstraints(int tp, int pp, int cp, int ep, int virtualStages, int dp) {
  private static final SearchConstraints ANY = new SearchConstraints(0, 0, 0, 0, 0, 0);

  public SearchConstraints {
    if (tp < 0 || pp < 0 || cp < 0 || ep < 0 || virtualStages < 0 || dp < 0) {
      throw new IllegalArgumentException("constraints must be >= 0 (0 = free)");
    }
  }

  public static SearchConstraints any() {
    return ANY;
  }

  /** Everything fixed except the interleaving and the recomputation level. */
  public static SearchConstraints of(int tp, int pp, int dp, int cp, int ep) {
    return new SearchConstraints(tp, pp, cp, ep, 0, dp);
  }

  public SearchConstraints withTp(int v) {
    return new SearchConstraints(v, pp, cp, ep, virtualStages, dp);
  }

  public SearchConstraints withPp(int v) {
    return new SearchConstraints(tp, v, cp, ep, virtualStages, dp);
  }

  public SearchConstraints withCp(int v) {
    return new SearchConstraints(tp, pp, v, ep, virtualStages, dp);
  }

  public SearchConstraints withEp(int v) {
    return new SearchConstraints(tp, pp, cp, v, virtualStages, dp);
  }

  public SearchConstraints withVirtualStages(int v) {
    return new SearchConstraints(tp, pp, cp, ep, v, dp);
  }

  boolean allows(int value, int constraint) {
    return constraint == 0 || constraint == value;
  }
}
