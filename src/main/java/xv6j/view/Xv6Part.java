package xv6j.view;

import java.util.Locale;
import xv6j.kernel.Kernel;
import xv6j.kernel.Snapshot;
import xv6j.machine.PhysicalMemory;
import xv6j.machine.Printable;

/**
 * The xv6 kernel's part of the page: the harts, physical memory by owner, the process
 * table and the system-call counts, all from one {@link Snapshot}.
 *
 * <p>Page owners: "free" (on the allocator's free list), "user" (a process's memory),
 * "pagetable" (a page of a process's page table), "kernel" (handed out by the allocator
 * and in no process's page table: on its way into one, as during fork or exec).
 * Processes' names are shown {@link Printable}, as on the console.
 */
final class Xv6Part implements KernelPart {
    private final Kernel k;

    Xv6Part(Kernel k) {
        this.k = k;
    }

    @Override
    public String kernel() {
        return "xv6";
    }

    @Override
    public void write(Json j) {
        Snapshot s = k.snapshot();

        j.name("harts").beginArray();
        for (Snapshot.HartRun h : s.harts()) {
            j.beginObject().field("id", h.hart()).field("pc", h.pc()).field("instret", h.instret());
            if (h.pid() > 0) j.field("pid", h.pid()).field("running", "pid " + h.pid() + " (" + Printable.of(s.nameOf(h.pid())) + ")");
            else j.field("running", "the scheduler (idle)");
            j.endObject();
        }
        j.endArray();

        j.name("memory");
        pageMap(s).write(j);

        j.name("xv6").beginObject().field("ticks", s.ticks());
        j.name("procs").beginArray();
        for (Snapshot.Process p : s.procs()) {
            j.beginObject().field("pid", p.pid()).field("parent", p.parent()).field("name", Printable.of(p.name()))
                    .field("state", p.state().name().toLowerCase(Locale.ROOT)).field("killed", p.killed())
                    .field("sz", p.sz()).field("waitsOn", p.waitsOn()).field("cpu", p.cpu())
                    .field("pages", p.userPages()).field("tablePages", p.tables().size());
            j.name("files").beginArray();
            for (Snapshot.OpenFile f : p.files()) {
                j.beginObject().field("fd", f.fd()).field("what", f.what()).field("inum", f.inum())
                        .field("readable", f.readable()).field("writable", f.writable()).field("offset", f.offset()).endObject();
            }
            j.endArray();
            j.name("memory").beginArray();
            for (Snapshot.Run r : p.memory()) j.beginArray().value(r.va()).value(r.pa()).value(r.n()).value(r.flags()).endArray();
            j.endArray();
            j.name("tables").beginArray();
            for (long t : p.tables()) j.value(t);
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.name("syscalls").beginArray();
        long[] counts = s.syscalls();
        for (int num = 0; num < counts.length; num++) {
            String name = Snapshot.syscallName(num);
            if (name == null && counts[num] == 0) continue;
            j.beginObject().field("num", num).field("name", name == null ? (num == 0 ? "(no such call)" : "#" + num) : name)
                    .field("count", counts[num]).endObject();
        }
        j.endArray();
        j.endObject();
    }

    /** Every page's owner: free from the free list, then page tables, then user pages; the rest is the kernel's. */
    private static PageMap pageMap(Snapshot s) {
        PageMap m = new PageMap(PhysicalMemory.BASE, s.pages(), "kernel", "the kernel (in no page table)");
        int free = m.of("free", -1, "free");
        for (int i = s.free().nextSetBit(0); i >= 0; i = s.free().nextSetBit(i + 1)) m.set(i, free);
        for (Snapshot.Process p : s.procs()) {
            String who = "pid " + p.pid() + " (" + Printable.of(p.name()) + ")";
            int user = m.of("user", p.pid(), who);
            int table = m.of("pagetable", p.pid(), "page table of " + who);
            for (Snapshot.Run r : p.memory()) {
                for (long i = 0; i < r.n(); i++) {
                    int pg = m.page(r.pa() + i * 4096);
                    if (pg >= 0) m.set(pg, user);
                }
            }
            for (long t : p.tables()) {
                int pg = m.page(t);
                if (pg >= 0) m.set(pg, table);
            }
        }
        return m;
    }
}
