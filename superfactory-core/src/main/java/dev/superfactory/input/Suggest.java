package dev.superfactory.input;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?": the known name nearest to a misspelt one, by edit distance. */
public final class Suggest {
  private Suggest() {}

  /**
   * The known name with the smallest case-insensitive edit distance to {@code typed}, if that
   * distance is at most a third of the longer name (plus one); {@code null} otherwise.
   */
  public static String nearest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String t = typed.toLowerCase(Locale.ROOT);
    for (String k : known) {
      int d = distance(t, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best == null) {
      return null;
    }
    int limit = Math.max(typed.length(), best.length()) / 3 + 1;
    return bestDistance <= limit ? best : null;
  }

  /** Levenshtein distance, O(|a|·|b|) time, O(|b|) space. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
