package xv6j.bench;

/**
 * One measured figure, as written to target/bench.json: its name (e.g. {@code cpu.mips},
 * {@code kernel.getpid}), its value, its unit, and the command that produced it.
 */
public record Figure(String name, double value, String unit, String command) {
    public Figure {
        if (name == null || !name.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*"))
            throw new IllegalArgumentException("bad figure name: " + name);
        if (unit == null || unit.isBlank()) throw new IllegalArgumentException(name + ": no unit");
        if (!Double.isFinite(value)) throw new IllegalArgumentException(name + ": not a finite value: " + value);
        if (command == null || command.isBlank()) throw new IllegalArgumentException(name + ": no command");
    }
}
