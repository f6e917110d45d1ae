package dev.superfactory.input;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the quantities people write in scenario files and on the command line into the core's
 * units: bandwidth in bytes per second, time in seconds, distance in km, power in MW.
 *
 * <p>Decimal (SI) prefixes throughout, as network and datasheet figures use them:
 * {@code 800Gbps} = 800e9 bits/s = 100e9 bytes/s; {@code 1.8TB/s} = 1.8e12 bytes/s.
 * Each parser throws {@link IllegalArgumentException} with a message that says what is accepted;
 * callers add the location.
 */
public final class Units {
  private static final Pattern NUMBER_UNIT =
      Pattern.compile("\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([A-Za-z/µ]*)\\s*");

  private Units() {}

  /** {@code 800Gbps}, {@code 800Gb/s}, {@code 400GB/s}, {@code 10Tbps}; a bare number is bytes/s. */
  public static double parseBandwidthBytesPerSecond(String text) {
    Matcher m = match(text, "a bandwidth such as 800Gbps, 400GB/s or 10Tbps");
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2);
    if (unit.isEmpty()) {
      return value;
    }
    boolean bytes;
    String prefix;
    if (unit.endsWith("bps") || unit.endsWith("b/s")) {
      bytes = false;
      prefix = unit.substring(0, unit.length() - 3);
    } else if (unit.endsWith("Bps") || unit.endsWith("B/s")) {
      bytes = true;
      prefix = unit.substring(0, unit.length() - 3);
    } else {
      throw new IllegalArgumentException(
          "unknown bandwidth unit '" + unit + "' in '" + text.trim() + "'; use bps, Gbps, Tbps, GB/s or TB/s");
    }
    double scale = siPrefix(prefix, text);
    return bytes ? value * scale : value * scale / 8.0;
  }

  /**
   * {@code 30d}, {@code 6h}, {@code 90m}, {@code 45s}, {@code 2w}, {@code 6mo} (30 days each),
   * {@code 1y} (365 days), or
   * ISO-8601 {@code P30D}, {@code PT6H}; a bare number is seconds. Returns seconds.
   */
  public static double parseDurationSeconds(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        return d.getSeconds() + d.getNano() / 1e9;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + t + "' is not an ISO-8601 duration such as P30D or PT6H");
      }
    }
    Matcher m = match(t, "a duration such as 30d, 6h, 15m, 90s or P30D");
    double value = Double.parseDouble(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "":
      case "s":
      case "sec":
        return value;
      case "ms":
        return value / 1000.0;
      case "m":
      case "min":
        return value * 60;
      case "h":
        return value * 3600;
      case "d":
        return value * 86400;
      case "w":
        return value * 7 * 86400;
      case "mo":
        return value * 30 * 86400;
      case "y":
        return value * 365 * 86400;
      default:
        throw new IllegalArgumentException(
            "unknown time unit '" + m.group(2) + "' in '" + t + "'; use s, m, h, d, w, mo, y or ISO-8601 (P30D)");
    }
  }

  /** {@code 1130km}, {@code 700mi}, {@code 500m}; a bare number is km. Returns km. */
  public static double parseDistanceKm(String text) {
    Matcher m = match(text, "a distance such as 1130km or 700mi");
    double value = Double.parseDouble(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "":
      case "km":
        return value;
      case "m":
        return value / 1000.0;
      case "mi":
        return value * 1.609344;
      default:
        throw new IllegalArgumentException("unknown distance unit '" + m.group(2) + "'; use km, m or mi");
    }
  }

  /** {@code 140kW}, {@code 300MW}, {@code 1.2GW}; a bare number is MW. Returns MW. */
  public static double parsePowerMw(String text) {
    Matcher m = match(text, "a power such as 140kW or 300MW");
    double value = Double.parseDouble(m.group(1));
    switch (m.group(2)) {
      case "":
      case "MW":
        return value;
      case "W":
        return value / 1e6;
      case "kW":
        return value / 1e3;
      case "GW":
        return value * 1e3;
      default:
        throw new IllegalArgumentException("unknown power unit '" + m.group(2) + "'; use W, kW, MW or GW");
    }
  }

  /** A count with an optional SI suffix: {@code 15T} tokens, {@code 70B} parameters, {@code 4k}. */
  public static double parseCount(String text) {
    Matcher m = match(text, "a number such as 15T, 70B, 4k or 1e12");
    double value = Double.parseDouble(m.group(1));
    String suffix = m.group(2);
    return value * ("B".equals(suffix) ? 1e9 : siPrefix(suffix, text));
  }

  /** Human bandwidth: {@code 800 Gb/s}, {@code 100 Tb/s}. */
  public static String formatBandwidthBits(double bytesPerSecond) {
    double bits = bytesPerSecond * 8;
    String[] names = {"b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s", "Pb/s"};
    int i = 0;
    while (bits >= 1000 && i < names.length - 1) {
      bits /= 1000;
      i++;
    }
    return trim(bits) + " " + names[i];
  }

  /** Human byte rate: {@code 1.8 TB/s}. */
  public static String formatBandwidthBytes(double bytesPerSecond) {
    double b = bytesPerSecond;
    String[] names = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s"};
    int i = 0;
    while (b >= 1000 && i < names.length - 1) {
      b /= 1000;
      i++;
    }
    return trim(b) + " " + names[i];
  }

  private static String trim(double v) {
    if (v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }

  private static double siPrefix(String prefix, String text) {
    switch (prefix) {
      case "":
        return 1;
      case "k":
      case "K":
        return 1e3;
      case "M":
        return 1e6;
      case "G":
        return 1e9;
      case "T":
        return 1e12;
      case "P":
        return 1e15;
      default:
        throw new IllegalArgumentException("unknown prefix '" + prefix + "' in '" + text.trim() + "'");
    }
  }

  private static Matcher match(String text, String expected) {
    if (text == null) {
      throw new IllegalArgumentException("expected " + expected + ", got nothing");
    }
    Matcher m = NUMBER_UNIT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + expected + ", got '" + text.trim() + "'");
    }
    return m;
  }
}
