package dev.superfactory.cli;

import dev.superfactory.input.InputException;
import java.math.BigDecimal;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How every numeric option reads its text: one wording for every command ("'abc' is not a number",
 * "must be greater than 0, got 0"), and {@link Main} puts the option's name in front. The
 * {@code Positive*} and {@link NonNegativeDouble} converters are set per option with
 * {@code @Option(converter = ...)}, so a bad value is refused while parsing, before any work starts.
 */
final class NumberConverters {
  private NumberConverters() {}

  /** Registers the plain converters for every numeric type on a command and its subcommands. */
  static void registerOn(CommandLine cl) {
    cl.registerConverter(Double.class, NumberConverters::parseDouble);
    cl.registerConverter(double.class, NumberConverters::parseDouble);
    cl.registerConverter(Long.class, NumberConverters::parseLong);
    cl.registerConverter(long.class, NumberConverters::parseLong);
    cl.registerConverter(Integer.class, NumberConverters::parseInt);
    cl.registerConverter(int.class, NumberConverters::parseInt);
  }

  static double parseDouble(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new TypeConversionException("'" + text + "' is not a finite number");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a number");
    }
  }

  static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  static int parseInt(String text) {
    long v = parseLong(text);
    if (v != (int) v) {
      throw new TypeConversionException("'" + text + "' is out of range (at most " + Integer.MAX_VALUE + ")");
    }
    return (int) v;
  }

  /** Refuses a value above an upper bound: "--days: must be at most 21,900 days (60 years), got 30000". */
  static void atMost(String option, double value, double max, String maxText) {
    if (value > max) {
      throw new InputException(option + ": must be at most " + maxText + ", got "
          + BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }
  }

  private static TypeConversionException notPositive(String text) {
    return new TypeConversionException(String.format(Locale.ROOT, "must be greater than 0, got %s", text));
  }

  /** A number greater than 0. */
  static final class PositiveDouble implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = parseDouble(text);
      if (!(v > 0)) {
        throw notPositive(text);
      }
      return v;
    }
  }

  /** A number of 0 or more. */
  static final class NonNegativeDouble implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      double v = parseDouble(text);
      if (v < 0) {
        throw new TypeConversionException("must be 0 or more, got " + text);
      }
      return v;
    }
  }

  /** A whole number greater than 0. */
  static final class PositiveLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      long v = parseLong(text);
      if (v < 1) {
        throw notPositive(text);
      }
      return v;
    }
  }

  /** A whole number greater than 0 that fits an int. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      int v = parseInt(text);
      if (v < 1) {
        throw notPositive(text);
      }
      return v;
    }
  }
}
