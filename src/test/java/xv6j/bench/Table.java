package xv6j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A table for people: a title, a header row and rows; the first column left-aligned, the rest right-aligned. */
final class Table {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Table(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    Table row(String... cells) {
        if (cells.length != rows.get(0).length) throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + rows.get(0).length);
        rows.add(cells);
        return this;
    }

    @Override
    public String toString() {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder b = new StringBuilder(title).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < cols; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(c == 0 ? r[c] + pad : pad + r[c]).append(c < cols - 1 ? "   " : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                char[] rule = new char[Arrays.stream(width).sum() + 3 * (cols - 1)];
                Arrays.fill(rule, '-');
                b.append("  ").append(rule).append('\n');
            }
        }
        return b.toString();
    }

    /** A duration in nanoseconds, in the unit that suits it. */
    static String nanos(double ns) {
        if (ns < 10_000) return String.format(Locale.ROOT, "%.0f ns", ns);
        if (ns < 1_000_000) return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        if (ns < 1_000_000_000) return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }
}
