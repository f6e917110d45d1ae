package dev.superfactory.agent.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * Slurm's compressed host lists ({@code wisconsin-n[1-3,5],atlanta-n7}) expanded into names, zero padding
 * kept ({@code n[08-10]} gives {@code n08 n09 n10}). One bracket group per name, as Slurm prints node
 * names of the form prefix + number. Linear in the length of the result.
 */
final class Hostlist {

    private Hostlist() {
    }

    static List<String> expand(String hostlist) {
        List<String> names = new ArrayList<>();
        for (String part : splitTopLevel(hostlist)) {
            int open = part.indexOf('[');
            if (open < 0) {
                names.add(part);
                continue;
            }
            int close = part.indexOf(']', open);
            if (close < 0) {
                throw new IllegalArgumentException("host list '" + hostlist + "' has an unclosed '['");
            }
            String prefix = part.substring(0, open);
            String suffix = part.substring(close + 1);
            for (String range : part.substring(open + 1, close).split(",")) {
                expandRange(prefix, range, suffix, names);
            }
        }
        return names;
    }

    private static void expandRange(String prefix, String range, String suffix, List<String> names) {
        int dash = range.indexOf('-');
        String low = dash < 0 ? range : range.substring(0, dash);
        long high = Long.parseLong(dash < 0 ? range : range.substring(dash + 1));
        for (long i = Long.parseLong(low); i <= high; i++) {
            names.add(prefix + pad(i, low.length()) + suffix);
        }
    }

    private static String pad(long number, int width) {
        StringBuilder digits = new StringBuilder(Long.toString(number));
        while (digits.length() < width) {
            digits.insert(0, '0');
        }
        return digits.toString();
    }

    private static List<String> splitTopLevel(String hostlist) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < hostlist.length(); i++) {
            char c = hostlist.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                addIfNotBlank(parts, hostlist.substring(start, i));
                start = i + 1;
            }
        }
        addIfNotBlank(parts, hostlist.substring(start));
        return parts;
    }

    private static void addIfNotBlank(List<String> parts, String part) {
        if (!part.isBlank()) {
            parts.add(part.trim());
        }
    }
}
