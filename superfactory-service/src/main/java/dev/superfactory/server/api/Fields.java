package dev.superfactory.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Strict readers of one field of a JSON object: no coercion (a string is not a number, 1.0 is not
 * an integer, 0 is not a boolean), explicit bounds, and every refusal names the field. Cost: one
 * hash lookup per field.
 */
final class Fields {

    private Fields() {
    }

    /**
     * Checks that {@code item}, the element named {@code prefix} less its trailing dot (e.g.
     * {@code out[2].}), is a JSON object ({@code what}) with no field but {@code fields}.
     */
    static void objectOf(JsonNode item, String prefix, String what, java.util.List<String> fields) {
        if (!item.isObject()) {
            throw ApiException.badRequest(prefix.substring(0, prefix.length() - 1), what + " is a JSON object");
        }
        item.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw ApiException.badRequest(prefix + name, "unknown field '" + name + "'; the fields are " + fields);
            }
        });
    }

    /** The field as a whole number in {@code min..max}; empty if absent. */
    static Optional<Long> integer(JsonNode object, String name, long min, long max) {
        JsonNode value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "an integer", value);
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw ApiException.badRequest(name, name + "=" + value + " is not within " + min + ".." + max);
        }
        return Optional.of(value.longValue());
    }

    static Optional<Boolean> bool(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false", value);
        }
        return Optional.of(value.booleanValue());
    }

    /** The field as a string of 1 to {@code maxLength} characters; empty if absent. */
    static Optional<String> text(JsonNode object, String name, int maxLength) {
        JsonNode value = object.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return Optional.of(checkedText(name, value.textValue(), maxLength));
    }

    static String checkedText(String name, String text, int maxLength) {
        if (text.isBlank() || text.length() > maxLength) {
            throw ApiException.badRequest(name, name + " must be 1 to " + maxLength
                    + " characters and not blank, got " + text.length() + " characters");
        }
        return withoutNul(name, text);
    }

    /** PostgreSQL's text and jsonb cannot hold U+0000: refused as bad input, never a failed write. */
    static String withoutNul(String name, String text) {
        if (text.indexOf('\0') >= 0) {
            throw ApiException.badRequest(name, name + " must not contain the NUL character (U+0000)");
        }
        return text;
    }

    /** A query parameter as a whole number in {@code min..max}, {@code fallback} if absent. */
    static long queryInteger(String name, String text, long min, long max, long fallback) {
        if (text == null) {
            return fallback;
        }
        OptionalLong parsed = parseLong(text);
        if (parsed.isEmpty() || parsed.getAsLong() < min || parsed.getAsLong() > max) {
            throw ApiException.badRequest(name, name + "=" + text + " is not a whole number within " + min + ".." + max);
        }
        return parsed.getAsLong();
    }

    private static OptionalLong parseLong(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static ApiException missing(String name) {
        return ApiException.badRequest(name, "the field '" + name + "' is required");
    }

    private static ApiException wrongType(String name, String expected, JsonNode value) {
        return ApiException.badRequest(name, name + " must be " + expected + ", got " + typeName(value) + " "
                + abbreviated(value));
    }

    /** "object", "array", "string", "number", ... */
    static String typeName(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
