package xv6j.view;

import java.io.IOException;
import xv6j.machine.Machine;

/**
 * Takes the snapshots the page shows: the kernel's part (harts, memory, processes or
 * environments, from one consistent snapshot under the kernel's lock), the disk's map and
 * the console's last output. Each new snapshot that differs from the last gets the next
 * sequence number, so a reader can tell "nothing changed" from "missed one".
 *
 * <p>The document (docs/view.md describes every member):
 * <pre>
 *   {"version": 1, "seq": 12, "kernel": "xv6", "halted": false,
 *    "harts": [...], "memory": {...}, "disk": {...}, "console": {...}, "xv6": {...} or "exo": {...}}
 * </pre>
 */
final class Sampler implements AutoCloseable {
    static final int VERSION = 1;

    private final KernelPart kernel;
    private final DiskMap disk;
    private final ConsoleTail console = new ConsoleTail();
    private final Machine machine;
    private String lastBody;
    private volatile Published last;
    private boolean halted;

    /** A snapshot and its sequence number. */
    record Published(long seq, String json) {}

    Sampler(KernelPart kernel, Machine machine, DiskMap disk) {
        this.kernel = kernel;
        this.machine = machine;
        this.disk = disk;
        machine.console().tap(console);
    }

    /** A snapshot now: the last one again if nothing changed since (or once the machine halted). */
    synchronized Published sample() {
        return halted && last != null ? last : publish(body());
    }

    /** The last snapshot taken, or null if none was. */
    Published last() {
        return last;
    }

    /** The last snapshot's number, 0 before the first. */
    long seq() {
        Published p = last;
        return p == null ? 0 : p.seq();
    }

    /** The machine halted: one last snapshot says so, and every later one is the same. */
    synchronized Published halt() {
        if (!halted) {
            halted = true;
            publish(body());
        }
        return last;
    }

    private String body() {
        Json j = new Json().beginObject();
        j.field("kernel", kernel.kernel()).field("halted", halted);
        kernel.write(j);
        j.name("disk").raw(disk.json());
        j.name("console").beginObject().field("bytes", console.total()).field("text", console.text()).endObject();
        return j.endObject().toString();
    }

    private Published publish(String body) {
        if (!body.equals(lastBody)) {
            lastBody = body;
            long seq = seq() + 1;
            // The envelope first, so a reader sees the version before anything else.
            last = new Published(seq, "{\"version\":" + VERSION + ",\"seq\":" + seq + "," + body.substring(1));
        }
        return last;
    }

    @Override
    public void close() throws IOException {
        machine.console().tap(null);
        disk.close();
    }
}
