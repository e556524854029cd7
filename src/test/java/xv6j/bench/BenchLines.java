package xv6j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back what a benchmark program printed on the console. user/sysbench.c prints one
 * line per figure,
 *
 * <pre>
 *   sysbench NAME ITERATIONS UNIT VALUE        e.g.  sysbench getpid 200000 ns/op 812
 * </pre>
 *
 * and a program of the same kind for another kernel does the same under its own name.
 * A line "PROGRAM: ..." is the program's own report of a failure.
 */
final class BenchLines {
    /** One line: a figure the program measured over {@code iterations} iterations. */
    record Measurement(String name, long iterations, String unit, double value) {}

    private BenchLines() {}

    /** The measurements program printed in the console output, in order; fails on a failure line or a garbled one. */
    static List<Measurement> parse(String console, String program) throws BenchException {
        Pattern line = Pattern.compile(Pattern.quote(program) + " ([a-z0-9_]+) (\\d+) (\\S+) (\\d+(?:\\.\\d+)?)");
        List<Measurement> out = new ArrayList<>();
        for (String l : console.split("\r?\n")) {
            if (l.startsWith(program + ":")) throw new BenchException(l.strip());
            if (!l.startsWith(program + " ")) continue;
            Matcher m = line.matcher(l.strip());
            if (!m.matches()) throw new BenchException("unreadable line from " + program + ": " + l.strip());
            out.add(new Measurement(m.group(1), Long.parseLong(m.group(2)), m.group(3), Double.parseDouble(m.group(4))));
        }
        return out;
    }

    /** The same, by name; fails if a name in {@code expected} is missing or any name comes twice. */
    static Map<String, Measurement> parse(String console, String program, List<String> expected) throws BenchException {
        Map<String, Measurement> byName = new LinkedHashMap<>();
        for (Measurement m : parse(console, program)) {
            if (byName.put(m.name(), m) != null) throw new BenchException(program + " printed " + m.name() + " twice");
        }
        List<String> missing = expected.stream().filter(n -> !byName.containsKey(n)).toList();
        if (!missing.isEmpty()) throw new BenchException(program + " did not print " + String.join(", ", missing) + lastLines(console));
        return byName;
    }

    /** The end of a console transcript, to show with a failure. */
    static String lastLines(String console) {
        String[] lines = console.strip().split("\n");
        int from = Math.max(0, lines.length - 8);
        return "; the console ended with:\n  " + String.join("\n  ", List.of(lines).subList(from, lines.length));
    }
}
