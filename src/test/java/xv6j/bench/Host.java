package xv6j.bench;

import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Where the figures were measured: they mean little without it. */
record Host(int cores, String java, String os, double loadAverage, String date) {
    static Host current() {
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new Host(Runtime.getRuntime().availableProcessors(), java, os,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** One line for people. */
    String describe() {
        return String.format(Locale.ROOT, "%d cores, %s, %s, load average %.1f when done", cores, java, os, loadAverage);
    }
}
