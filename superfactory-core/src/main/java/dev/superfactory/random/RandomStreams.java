package dev.superfactory.random;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Named, independent random streams split from one seed: {@code stream("arrivals/openai")}.
 *
 * <p>A stream's sequence depends only on the seed and its name, so adding a feature (and with it a
 * new stream) never shifts the draws of another: same scenario + same seed ⇒ same result.
 * The stream seed is a 64-bit FNV-1a hash of the name mixed with the root seed by the SplitMix64
 * finaliser.
 */
public final class RandomStreams {
  private final long seed;

  public RandomStreams(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** A fresh generator for the named stream; the same name always gives the same sequence. */
  public SplittableRandom stream(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return new SplittableRandom(mix(seed ^ mix(h)));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
