package xv6j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * target/bench.json: where and when the figures were measured, and every figure with its
 * name, value, unit and command, so two runs can be compared by a program.
 *
 * <pre>
 * {
 *   "command": "make bench",
 *   "host": {"cores": 2, "java": "...", "os": "...", "load_average": 1.5},
 *   "figures": [
 *     {"name": "cpu.mips", "value": 185.2, "unit": "MIPS", "command": "...",
 *      "runs": 5, "min": 170.1, "max": 190.3},
 *     ...
 *   ]
 * }
 * </pre>
 */
final class BenchJson {
    private BenchJson() {}

    static void write(Path file, String command, Host host, List<Figure> figures) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Files.writeString(file, render(command, host, figures), StandardCharsets.UTF_8);
    }

    static String render(String command, Host host, List<Figure> figures) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"command\": ").append(string(command)).append(",\n");
        b.append("  \"date\": ").append(string(host.date())).append(",\n");
        b.append("  \"host\": {\"cores\": ").append(host.cores())
                .append(", \"java\": ").append(string(host.java()))
                .append(", \"os\": ").append(string(host.os()))
                .append(", \"load_average\": ").append(number(host.loadAverage())).append("},\n");
        b.append("  \"figures\": [");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            b.append("    {\"name\": ").append(string(f.name()))
                    .append(", \"value\": ").append(number(f.value()))
                    .append(", \"unit\": ").append(string(f.unit()))
                    .append(", \"command\": ").append(string(f.command()));
            // The runs a median came from, for a program to judge the figure by.
            if (f.sample().runs() > 1)
                b.append(", \"runs\": ").append(f.sample().runs()).append(", \"min\": ").append(number(f.sample().min()))
                        .append(", \"max\": ").append(number(f.sample().max()));
            b.append('}');
        }
        b.append(figures.isEmpty() ? "]\n" : "\n  ]\n");
        b.append("}\n");
        return b.toString();
    }

    /** A number as JSON has it: integers without a fraction, others with up to 4 significant decimals. */
    static String number(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A JSON string literal. */
    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
