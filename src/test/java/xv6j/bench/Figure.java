package xv6j.bench;

/**
 * One measured figure, as written to target/bench.json: its name (e.g. {@code cpu.mips},
 * {@code kernel.getpid}), its value, its unit, the command that produced it, and the
 * runs it is the median of ({@link Sample}: how widely they spread).
 */
public record Figure(String name, double value, String unit, String command, Sample sample) {
    public Figure {
        if (name == null || !name.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*"))
            throw new IllegalArgumentException("bad figure name: " + name);
        if (unit == null || unit.isBlank()) throw new IllegalArgumentException(name + ": no unit");
        if (!Double.isFinite(value)) throw new IllegalArgumentException(name + ": not a finite value: " + value);
        if (command == null || command.isBlank()) throw new IllegalArgumentException(name + ": no command");
        if (sample == null) sample = Sample.one(value);
    }

    /** A figure of one measurement (or one whose runs are not kept). */
    public Figure(String name, double value, String unit, String command) {
        this(name, value, unit, command, null);
    }

    /** A figure that is the median of sample's runs. */
    Figure(String name, Sample sample, String unit, String command) {
        this(name, sample.median(), unit, command, sample);
    }
}
