package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xv6j.machine.Mmu;
import xv6j.machine.PageTable;

/**
 * A CPU takes its TLB entries of an environment as current while the environment's
 * generation has not moved (Scheduler.runUser does not flush them). So a translation
 * the page table no longer grants must never sit in a TLB taken as current: the checker
 * looks for one, and changing a mapping moves the generation.
 */
class StaleTranslationTest {
    static final long CODE = 0x200000;

    ExoFixture f;
    Env boot;
    Cpu cpu;
    long page;

    @BeforeEach
    void setUp() {
        f = new ExoFixture("", 8); // room for the pages of the last test
        boot = f.boot;
        cpu = f.k.cpus[0];
        page = f.page(boot, EXO_BOOT_MEMORY);
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, CODE, page, MAP_R | MAP_X));
        // The CPU as runUser leaves it after running boot: a fetch of CODE in its TLB, taken as current.
        f.k.lock.lock();
        try {
            cpu.hart.mmu.setSatp(boot.satp());
            cpu.hart.mmu.flushAsid(boot.asid);
            assertTrue(cpu.hart.mmu.translate(CODE, Mmu.Access.FETCH) >= 0);
            cpu.tlbEnv = boot;
            cpu.tlbGen = boot.gen;
            boot.tlbGen[cpu.id] = boot.gen;
        } finally {
            f.k.lock.unlock();
        }
        f.check();
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void aTranslationTakenAsCurrentThatThePageTableNoLongerGrantsIsReported() {
        f.k.lock.lock();
        long ptePa, pte;
        try {
            ptePa = boot.pt.walk(boot.pagetable, CODE, false);
            pte = f.k.mem.load64(ptePa);
            f.k.mem.store64(ptePa, pte & ~PageTable.PTE_X); // behind the kernel's back: no generation moves
        } finally {
            f.k.lock.unlock();
        }
        List<String> bad = Invariants.check(f.k);
        assertTrue(bad.stream().anyMatch(s -> s.contains("with a fetch translation of 0x200000 its page table does not grant")),
                bad.toString());
        f.k.lock.lock();
        try {
            f.k.mem.store64(ptePa, pte);
        } finally {
            f.k.lock.unlock();
        }
        f.check();
    }

    @Test
    void aPageMappedAgainWithoutExecuteIsNoLongerTakenAsCurrentByTheCpuThatFetchedIt() {
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, CODE, page, MAP_R)); // checks every invariant
        assertNotEquals(boot.gen, boot.tlbGen[cpu.id], "the CPU flushes boot before it runs it again");
        assertNotEquals(boot.gen, cpu.tlbGen);
    }

    /**
     * A CPU entering boot reads its generation, flushes if it moved, and walks the page
     * table. A watcher on another host thread does the same as fast as it can while boot's
     * page at CODE is replaced again and again, each time by another page (every entry
     * unique): whenever it reads a generation, then the entry, then the same generation
     * again, the entry must be the one the call that made that generation installed, or a
     * later one, never an earlier one. (When the generation moved before the new entry was
     * stored, a CPU there kept the old translation, with its MAP_X, as current.)
     */
    @Test
    void aCpuThatSeesTheGenerationOfAReplacedMappingWalksItsNewEntry() throws Exception {
        int calls = 1000;
        long[] pages = new long[calls];
        for (int i = 0; i < calls; i++) pages[i] = f.page(boot, EXO_BOOT_MEMORY);
        long ptePa;
        f.k.lock.lock();
        try {
            ptePa = boot.pt.walk(boot.pagetable, CODE, false);
        } finally {
            f.k.lock.unlock();
        }
        AtomicBoolean stop = new AtomicBoolean(), watching = new AtomicBoolean();
        List<long[]> seen = new ArrayList<>(); // {generation, entry}
        Thread watcher = Thread.ofPlatform().start(() -> {
            long last = -1;
            watching.set(true);
            while (!stop.get()) {
                long g1 = boot.gen;
                if (g1 == last) {
                    Thread.onSpinWait();
                    continue;
                }
                long pte = f.k.mem.loadVolatile64(ptePa);
                if (boot.gen == g1) seen.add(new long[] {g1, pte});
                last = g1;
            }
        });
        while (!watching.get()) Thread.onSpinWait();
        Map<Long, Integer> madeGen = new HashMap<>(), installed = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            int perm = i % 2 == 0 ? MAP_R | MAP_X : MAP_R;
            assertEquals(0, f.k.invoke(boot, SYS_exo_map, EXO_SELF, CODE, pages[i], perm));
            madeGen.put(boot.gen, i);
            installed.put(f.k.mem.load64(ptePa), i);
        }
        stop.set(true);
        watcher.join();
        int stale = 0;
        for (long[] s : seen) {
            Integer made = madeGen.get(s[0]), by = installed.get(s[1]);
            if (made != null && by != null && by < made) stale++;
        }
        assertEquals(0, stale, "times the watcher saw a generation with an entry older than the call that made it, in "
                + seen.size() + " reads");
        f.check();
    }
}
