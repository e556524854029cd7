package xv6j.machine;

/**
 * The whole machine a kernel runs on: RAM, harts, a disk, the console and the clock.
 * A kernel touches the hardware only through these.
 */
public record Machine(PhysicalMemory mem, Hart[] harts, Disk disk, Console console, Clock clock) {

    /** Builds a machine with the given memory size (bytes) and number of harts. */
    public static Machine create(long memBytes, int nharts, Disk disk, Console console, Clock clock) {
        if (nharts < 1 || nharts > 64) throw new IllegalArgumentException("harts must be between 1 and 64, not " + nharts);
        PhysicalMemory mem = new PhysicalMemory(memBytes);
        Hart[] harts = new Hart[nharts];
        for (int i = 0; i < nharts; i++) {
            harts[i] = new Hart(i, mem);
            harts[i].setTimeSource(clock::time); // time(inRun)
        }
        return new Machine(mem, harts, disk, console, clock);
    }
}
