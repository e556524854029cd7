package xv6j.machine;

import xv6j.machine.jit.Engine;

/**
 * The whole machine a kernel runs on: RAM, harts, a disk, the console and the clock.
 * A kernel touches the hardware only through these.
 */
public record Machine(PhysicalMemory mem, Hart[] harts, Disk disk, Console console, Clock clock) {

    /** Virtual time one disk flush takes: 2 ms at the virtual clock's 10 million instructions a second. */
    public static final long DISK_FLUSH_INSTRUCTIONS = 20_000;

    /** Builds a machine with the given memory size (bytes) and number of harts, each with the default engine. */
    public static Machine create(long memBytes, int nharts, Disk disk, Console console, Clock clock) {
        return create(memBytes, nharts, disk, console, clock, Engine.fromSystemProperty());
    }

    /** The same, with every hart running code as engine says. */
    public static Machine create(long memBytes, int nharts, Disk disk, Console console, Clock clock, Engine engine) {
        if (nharts < 1 || nharts > 64) throw new IllegalArgumentException("harts must be between 1 and 64, not " + nharts);
        PhysicalMemory mem = new PhysicalMemory(memBytes);
        Hart[] harts = new Hart[nharts];
        for (int i = 0; i < nharts; i++) {
            harts[i] = new Hart(i, mem);
            harts[i].setTimeSource(clock::time); // time(inRun)
            harts[i].setEngine(engine);
        }
        // A flush takes a real disk a couple of milliseconds; in virtual time, say so, or a
        // program that commits in a loop would get unbounded disk work per tick.
        disk.onForce(() -> clock.charge(DISK_FLUSH_INSTRUCTIONS));
        return new Machine(mem, harts, disk, console, clock);
    }

    /** Instructions all harts have retired (each hart's count as of its last trap). */
    public long instructionsRetired() {
        long n = 0;
        for (Hart h : harts) n += h.instret;
        return n;
    }
}
