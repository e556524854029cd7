package xv6j.view;

import static xv6j.exo.ExoAbi.*;

import java.util.HashMap;
import java.util.Map;
import xv6j.exo.Exokernel;
import xv6j.exo.Snapshot;
import xv6j.exo.Trace;
import xv6j.libos.Uproc;
import xv6j.machine.PhysicalMemory;

/**
 * kernel-exo's part of the page: the harts, physical memory by owner, the environments,
 * every capability with its parent and mappings, and the kernel's last events, all from
 * one {@link Snapshot} taken under the kernel's lock.
 *
 * <p>Page owners: "free"; "pagetable" (a page of environment id's page table); "records"
 * (a page of environment id's kernel records, paid by its quota); "page"
 * (named by capabilities of environment id only); "shared" (named by capabilities of
 * several environments; id is the one holding the capability all the others derive from
 * for it, which allocated it).
 *
 * <p>Names: the exokernel knows none; an environment the standard LibOS made is named from
 * its hand-off ({@link Uproc}), so the page can say "env 7 (sh)".
 */
final class ExoPart implements KernelPart {
    private final Exokernel k;

    ExoPart(Exokernel k) {
        this.k = k;
        k.traceEvents();
    }

    @Override
    public String kernel() {
        return "kernel-exo";
    }

    @Override
    public void write(Json j) {
        Snapshot s = k.snapshot(Uproc.VA, Uproc.LEN);
        Map<Integer, Uproc> libos = Uproc.of(s.peeks());

        j.name("harts").beginArray();
        for (Snapshot.HartRun h : s.harts()) {
            j.beginObject().field("id", h.hart()).field("pc", h.pc()).field("instret", h.instret());
            if (h.env() != 0) {
                j.field("env", h.env()).field("running", Uproc.label(h.env(), libos)).field("mode", h.user() ? "user" : "kernel");
            } else {
                j.field("running", "nothing (idle)");
            }
            j.endObject();
        }
        j.endArray();

        j.name("memory");
        pageMap(s, libos).write(j);

        j.name("exo").beginObject().field("ticks", s.ticks());
        j.name("envs").beginArray();
        for (Snapshot.Environment e : s.envs()) {
            Uproc l = libos.get(e.id());
            j.beginObject().field("id", e.id()).field("parent", e.parentId());
            if (l != null) j.field("name", l.name()).field("pid", l.pid());
            else j.name("name").nullValue().name("pid").nullValue();
            j.field("state", e.state());
            if (e.state().equals("exited")) j.field("status", e.status());
            j.field("waitsFor", e.waitsFor()).field("hart", e.hart()).field("caller", e.caller()).field("callee", e.callee());
            j.name("pct");
            if (e.pctEntry() != 0) j.beginObject().field("entry", e.pctEntry()).field("policy", e.pctKnown() ? "known" : "any").endObject();
            else j.nullValue();
            j.name("upcalls").beginArray();
            if ((e.upcalls() & UPCALL_FAULT) != 0) j.value("fault");
            if ((e.upcalls() & UPCALL_SLICE) != 0) j.value("slice");
            if ((e.upcalls() & UPCALL_NOTICE) != 0) j.value("notice");
            j.endArray();
            j.name("events").beginArray();
            String pending = Snapshot.eventNames(e.events());
            if (!pending.isEmpty()) for (String ev : pending.split(",")) j.value(ev);
            j.endArray();
            j.field("notices", e.notices()).field("slice", e.sliceTicks()).field("cpu", e.cpus() > 0).field("caps", e.caps())
                    .field("mappings", e.mappings()).field("tablePages", e.tablePages()).field("recordPages", e.recordPages());
            j.name("payer");
            if (e.payerEnv() != 0) j.beginArray().value(e.payerEnv()).value(e.payerHandle()).endArray();
            else j.nullValue();
            j.endObject();
        }
        j.endArray();

        j.name("caps").beginArray();
        for (Snapshot.Capability c : s.caps()) {
            j.beginObject().field("env", c.env()).field("handle", c.handle()).field("type", Trace.typeName(c.type()))
                    .field("rights", c.rights()).field("first", c.first()).field("count", c.count());
            if (c.type() == CAP_ENV) j.field("target", c.target());
            if (c.type() == CAP_MEMORY) j.name("quota").beginObject().field("used", c.quotaUsed()).field("limit", c.quotaLimit()).endObject();
            j.name("parent");
            if (c.parentEnv() != 0) j.beginArray().value(c.parentEnv()).value(c.parentHandle()).endArray();
            else j.nullValue();
            j.name("mappings").beginArray();
            for (Snapshot.Binding b : c.mappings()) {
                String perm = ((b.perm() & MAP_R) != 0 ? "r" : "-") + ((b.perm() & MAP_W) != 0 ? "w" : "-")
                        + ((b.perm() & MAP_X) != 0 ? "x" : "-");
                j.beginArray().value(b.va()).value(perm).endArray();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();

        j.name("events").beginArray();
        for (Trace.Event ev : s.events()) {
            j.beginObject().field("seq", ev.seq()).field("tick", ev.tick()).field("kind", ev.kind()).field("env", ev.env())
                    .field("other", ev.other()).field("text", ev.text()).endObject();
        }
        j.endArray();
        j.endObject();
    }

    /**
     * Every page's owner: free and page-table pages from the kernel's records; a page named
     * by capabilities belongs to the environment whose capability for it is the root of
     * the others (the one that allocated it), and is shared if capabilities of other
     * environments name it too.
     */
    private static PageMap pageMap(Snapshot s, Map<Integer, Uproc> libos) {
        int n = s.tables().length;
        PageMap m = new PageMap(PhysicalMemory.BASE, n, "kernel", "the kernel (unaccounted)");
        int free = m.of("free", -1, "free");
        for (int i = s.free().nextSetBit(0); i >= 0; i = s.free().nextSetBit(i + 1)) m.set(i, free);
        for (int i = 0; i < n; i++) {
            int env = s.tables()[i];
            if (env != 0) m.set(i, m.of("pagetable", env, "page table of " + Uproc.label(env, libos)));
            env = s.records()[i];
            if (env != 0) m.set(i, m.of("records", env, "kernel records of " + Uproc.label(env, libos)));
        }
        // Per page: the holder of the capability for it that derives from no page capability
        // (the allocator's), some holder, and whether several environments hold one.
        int[] top = new int[n];
        int[] any = new int[n];
        boolean[] shared = new boolean[n];
        Map<Long, Snapshot.Capability> byKey = new HashMap<>();
        for (Snapshot.Capability c : s.caps()) byKey.put(key(c.env(), c.handle()), c);
        for (Snapshot.Capability c : s.caps()) {
            if (c.type() != CAP_PAGE) continue;
            int i = (int) (c.first() - s.basePpn());
            if (i < 0 || i >= n) continue;
            if (any[i] == 0) any[i] = c.env();
            else if (any[i] != c.env()) shared[i] = true;
            Snapshot.Capability p = c.parentEnv() == 0 ? null : byKey.get(key(c.parentEnv(), c.parentHandle()));
            if (p == null || p.type() != CAP_PAGE) top[i] = c.env();
        }
        for (int i = 0; i < n; i++) {
            int env = top[i] != 0 ? top[i] : any[i];
            if (env == 0 || s.free().get(i)) continue;
            String who = Uproc.label(env, libos);
            m.set(i, shared[i] ? m.of("shared", env, who + ", shared") : m.of("page", env, who));
        }
        return m;
    }

    private static long key(int env, int handle) {
        return (long) env << 32 | (handle & 0xffffffffL);
    }
}
