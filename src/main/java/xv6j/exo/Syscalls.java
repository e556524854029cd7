package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import xv6j.machine.PageTable;

/**
 * The exokernel's system calls, one method each, as user/exo.h documents them. Every
 * call checks the type and rights of every handle it is given, and every argument, before
 * it changes anything: a failing call leaves everything as it was.
 *
 * <p>The ecall ABI: a7 = number, a0..a6 = arguments, result in a0 (pct_call also returns
 * a1..a6). Calls that set the registers themselves (they switch activations, or block
 * until an event supplies the result) return {@link #NO_RESULT}.
 */
final class Syscalls {
    /** A call's registers are already set (or will be when it wakes). */
    static final long NO_RESULT = Long.MIN_VALUE;

    /** A call's error, thrown by argument checks deep in a call; one stackless instance per code. */
    static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Fail[] BY_CODE = new Fail[13];
        final long code;

        private Fail(long code) {
            super(null, null, false, false);
            this.code = code;
        }

        static Fail of(long code) {
            return BY_CODE[(int) -code];
        }

        static {
            for (int i = 1; i < BY_CODE.length; i++) BY_CODE[i] = new Fail(-i);
        }
    }

    private final Exokernel k;
    /** Kernel crossings by system call number (a batch is one): what a LibOS path costs, counted. */
    final long[] crossings = new long[SYS_LAST + 1];

    Syscalls(Exokernel k) {
        this.k = k;
    }

    private static Fail fail(long code) {
        return Fail.of(code);
    }

    /** Handles e's ecall: e's registers are at the ecall instruction. Lock held. */
    void dispatch(Env e) {
        Regs r = e.cur.regs;
        long num = r.x[A7];
        long[] x = r.x;
        r.pc += 4;
        if (num < SYS_FIRST || num > SYS_LAST) {
            boolean xv6s = num >= 0 && num < SYS_FIRST;
            if (xv6s && e.first) {
                // The first environment itself: the whole image is the xv6 kernel's (fs.img).
                // Say so in one line and halt with status 1, as the xv6 kernel does the other
                // way round; the machine halting, its end adds nothing ("the first environment ended").
                k.devices.printf("kernel-exo: %s was made for the xv6 kernel (its init made the xv6 kernel's system call %d),"
                        + " not for kernel-exo: boot it with make qemu, or scripts/kernel%n", k.machine.disk().path(), num);
                k.stop(1);
                k.envs.destroy(e, -1, null);
                return;
            }
            String why = xv6s
                    ? String.format("system call %d is the xv6 kernel's: this program was built for the xv6 kernel, not kernel-exo", num)
                    : String.format("unknown system call 0x%x", num);
            k.envs.destroy(e, -1, String.format("exo: env %d: %s (pc 0x%x): destroyed", e.id, why, r.pc - 4));
            return;
        }
        crossings[(int) num]++;
        long a0 = x[A0], a1 = x[A1], a2 = x[A2], a3 = x[A0 + 3], a4 = x[A0 + 4], a5 = x[A0 + 5];
        long result;
        try {
            result = switch ((int) num) {
                case SYS_capalloc -> capalloc(e, a0, a1, a2, a3);
                case SYS_capfree -> capfree(e, a0);
                case SYS_capgrant -> capgrant(e, a0, a1, a2, a3, a4, a5);
                case SYS_caprevoke -> caprevoke(e, a0);
                case SYS_exosched -> exosched(e, a0, a1, a2);
                case SYS_capinfo -> capinfo(e, a0, a1);
                case SYS_env_ctl -> envCtl(e, a0, a1, a2);
                case SYS_exo_map -> exoMap(e, a0, a1, a2, a3);
                case SYS_exo_unmap -> exoUnmap(e, a0, a1);
                case SYS_exo_disk -> exoDisk(e, a0, a1, a2, a3, a4);
                case SYS_exo_pagerefs -> k.pages.mapRefs[k.pages.index(cap(e, a0, CAP_PAGE, 0).first)];
                case SYS_exo_cons_write -> consWrite(e, a0, a1, a2);
                case SYS_exo_cons_read -> consRead(e, a0, a1, a2);
                case SYS_exo_ticks -> {
                    cap(e, a0, CAP_CLOCK, CAP_R);
                    yield k.sched.ticks;
                }
                case SYS_exo_upcall -> exoUpcall(e, a0, a1, a2);
                case SYS_exo_resume -> exoResume(e, a0);
                case SYS_exo_notices -> exoNotices(e, a0, a1);
                case SYS_pct_register -> pctRegister(e, a0, a1, a2);
                case SYS_pct_call -> pctCall(e, a0);
                case SYS_pct_return -> pctReturn(e);
                case SYS_exo_envid -> e.id;
                case SYS_exo_grantmap -> grantMap(e, a0, a1, a2, a3, a4);
                case SYS_exo_batch -> batch(e, a0, a1);
                default -> throw new IllegalStateException("unreachable");
            };
        } catch (Fail f) {
            result = f.code;
            if (!e.exited) k.envs.trimRecords(e); // room it reserved for a record it did not make
        }
        if (result != NO_RESULT) r.x[A0] = result;
    }

    // ---- batches ----

    /**
     * exo_batch: runs calls[0..n) in order in one crossing, each exactly as its own ecall
     * would (the same checks, the same quota), and stops at the first that fails. Each
     * element's result goes into its ret field as soon as it has run; the batch returns how
     * many succeeded, so on an error the caller knows which calls took effect (0..k-1),
     * which failed (k, its error in ret) and which never ran, and can undo or finish them.
     * Only calls that never block or switch activations may be batched (the rest: E_INVAL,
     * as that element's result): what a batch does is then all done when it returns.
     */
    private long batch(Env e, long ptr, long n) {
        if (n < 0 || n > EXO_BATCH_MAX) throw fail(E_INVAL);
        if (n == 0) return 0;
        int len = (int) n * CALL_SIZE;
        // The whole array, readable and writable, before any element runs.
        if (!k.umem.accessible(e, ptr, len, PageTable.PTE_W)) throw fail(E_FAULT);
        byte[] in = k.umem.copyIn(e, ptr, len);
        if (in == null) throw fail(E_FAULT);
        ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
        byte[] ret = new byte[8];
        ByteBuffer rb = ByteBuffer.wrap(ret).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int o = i * CALL_SIZE;
            long num = b.getLong(o);
            long a0 = b.getLong(o + 8), a1 = b.getLong(o + 16), a2 = b.getLong(o + 24), a3 = b.getLong(o + 32),
                    a4 = b.getLong(o + 40), a5 = b.getLong(o + 48);
            long gen = e.gen;
            long r;
            try {
                r = switch (num == (int) num ? (int) num : -1) {
                    case SYS_capalloc -> capalloc(e, a0, a1, a2, a3);
                    case SYS_capfree -> capfree(e, a0);
                    case SYS_capgrant -> capgrant(e, a0, a1, a2, a3, a4, a5);
                    case SYS_exo_map -> exoMap(e, a0, a1, a2, a3);
                    case SYS_exo_unmap -> exoUnmap(e, a0, a1);
                    case SYS_exo_grantmap -> grantMap(e, a0, a1, a2, a3, a4);
                    default -> throw fail(E_INVAL);
                };
            } catch (Fail f) {
                r = f.code;
                if (!e.exited) k.envs.trimRecords(e);
            }
            // As at the end of its own ecall: other harts drop what this element unmapped
            // before the next runs. Else a page unmapped from one environment, freed and
            // allocated again later in the batch could be granted to another and written
            // while a hart still held the first's stale translation of it.
            k.bindings.shootdown();
            // An element may end the caller (it freed the memory that pays for it) or take
            // the array from it (unmapped or weakened any page of it: e's generation moved):
            // the batch ends there, counting that element. Else, with an array across two
            // pages, the elements on the page taken would run with their results lost.
            if (e.exited) return NO_RESULT;
            rb.putLong(0, r);
            if (!k.umem.copyOut(e, ptr + o + CALL_SIZE - 8, ret)) return r < 0 ? i : i + 1;
            if (r < 0) return i;
            if (e.gen != gen && !k.umem.accessible(e, ptr, len, PageTable.PTE_W)) return i + 1;
        }
        return n;
    }

    // ---- argument checks ----

    /** The live capability under handle h in e's table, of the type (0: any) and with the rights. */
    static Cap cap(Env e, long h, int type, int rights) {
        Cap c = e.caps.get(h);
        if (c == null) throw fail(E_BADCAP);
        if (type != 0 && c.type != type) throw fail(E_TYPE);
        if (!c.has(rights)) throw fail(E_RIGHTS);
        return c;
    }

    /** The environment h names for e (EXO_SELF: e itself), through a CAP_ENV with all of rights. */
    static Env env(Env e, long h, int rights) {
        if (h == EXO_SELF) return e;
        return cap(e, h, CAP_ENV, rights).target;
    }

    /** As env(), but a capability with any one of the rights in anyOf will do. */
    static Env envAny(Env e, long h, int anyOf) {
        if (h == EXO_SELF) return e;
        Cap c = cap(e, h, CAP_ENV, 0);
        if ((c.rights & anyOf) == 0) throw fail(E_RIGHTS);
        return c.target;
    }

    private static Env live(Env t) {
        if (t.exited) throw fail(E_DEAD);
        return t;
    }

    private static void userVa(long va) {
        if (va < 0 || va >= EXO_UTOP || (va & (EXO_PGSIZE - 1)) != 0) throw fail(E_INVAL);
    }

    /** A mapping's permissions: a non-empty subset of MAP_R|MAP_W|MAP_X, MAP_W only with MAP_R. */
    private static void mapPerm(long perm) {
        if (perm <= 0 || (perm & ~(MAP_R | MAP_W | MAP_X)) != 0 || (perm & (MAP_R | MAP_W)) == MAP_W)
            throw fail(E_INVAL);
    }

    // ---- capabilities ----

    /** Room in e's kernel memory for n more records (capabilities, mappings), or E_NOMEM. */
    private void room(Env e, int n) {
        if (!k.envs.reserveRecords(e, n)) throw fail(E_NOMEM);
    }

    private long capalloc(Env e, long type, long hint, long src, long count) {
        if (type == CAP_PAGE) {
            Cap m = cap(e, src, CAP_MEMORY, CAP_R);
            if (hint != -1) {
                if (hint < 0) throw fail(E_INVAL);
                if (!m.covers(hint, 1) || !k.pages.inRam(hint)) throw fail(E_RANGE);
            }
            if (e.caps.full()) throw fail(E_FULL);
            room(e, 1); // first: a page for its record, if it needs one, must not be the one asked for
            long ppn = hint == -1 ? k.pages.findFree(m.first, m.count) : hint;
            if (ppn < 0) throw fail(E_NOMEM);
            if (!k.pages.isFree(ppn)) throw fail(E_BUSY);
            if (!k.pages.take(ppn, m.quota)) throw fail(E_NOMEM);
            return k.caps.insert(e, CAP_PAGE, m.rights, ppn, 1, null, null, m).handle;
        }
        if (type == CAP_BLOCKS) {
            Cap b = cap(e, src, CAP_BLOCKS, 0);
            if (hint < 0 || count <= 0) throw fail(E_INVAL);
            if (!b.covers(hint, count)) throw fail(E_RANGE);
            if (e.caps.full()) throw fail(E_FULL);
            room(e, 1);
            return k.caps.insert(e, CAP_BLOCKS, b.rights, hint, count, null, null, b).handle;
        }
        if (type == CAP_ENV) {
            Cap m = cap(e, src, CAP_MEMORY, CAP_R);
            if (e.caps.full()) throw fail(E_FULL);
            room(e, 1);
            Env n = k.envs.create(e.id, m);
            if (n == null) throw fail(E_NOMEM);
            return k.caps.insert(e, CAP_ENV, CAP_ALL, n.id, 1, n, null, null).handle;
        }
        throw fail(E_INVAL);
    }

    private long capfree(Env e, long h) {
        k.caps.free(cap(e, h, 0, 0));
        return 0;
    }

    private long capgrant(Env e, long h, long envh, long rights, long first, long count, long quota) {
        Cap s = cap(e, h, 0, CAP_GRANT);
        Env t = live(env(e, envh, CAP_W)); // filling a table is controlling it: CAP_X (calling) is not enough
        if ((rights & ~CAP_ALL) != 0) throw fail(E_INVAL);
        if ((rights & ~s.rights) != 0) throw fail(E_RIGHTS);
        long f = s.first;
        long n = s.count;
        if (s.type == CAP_MEMORY || s.type == CAP_BLOCKS) {
            if (first < 0 || count < 0) throw fail(E_INVAL);
            if (count != 0) {
                if (!s.covers(first, count)) throw fail(E_RANGE);
                f = first;
                n = count;
            }
        } else if (s.type == CAP_CPU) {
            if (count < 0) throw fail(E_INVAL);
            if (count > s.count) throw fail(E_RANGE); // the share's longest slice: never longer than the source's
            if (count != 0) n = count;
        }
        Quota q = s.quota;
        if (s.type == CAP_MEMORY && quota != 0) {
            if (quota < 0) throw fail(E_INVAL);
            if (quota > s.quota.limit || s.quota.depth >= Quota.MAX_DEPTH) throw fail(E_RANGE);
            q = new Quota(s.quota, quota);
        }
        if (t.caps.full()) throw fail(E_FULL);
        room(t, 1);
        return k.caps.insert(t, s.type, (int) rights, f, n, s.target, q, s).handle;
    }

    /**
     * exo_grantmap: capgrant of a page into env's table and exo_map of the new handle at va
     * there, in one call (perm 0: no mapping). All is checked first; if the mapping cannot
     * be paid, the new capability goes too, and nothing has changed.
     */
    private long grantMap(Env e, long h, long envh, long rights, long va, long perm) {
        Cap s = cap(e, h, CAP_PAGE, CAP_GRANT);
        Env t = live(env(e, envh, CAP_W));
        if ((rights & ~CAP_ALL) != 0) throw fail(E_INVAL);
        if ((rights & ~s.rights) != 0) throw fail(E_RIGHTS);
        if (perm != 0) {
            userVa(va);
            mapPerm(perm);
            if ((perm & ~rights) != 0) throw fail(E_RIGHTS); // MAP_R/W/X are CAP_R/W/X
        }
        if (t.caps.full()) throw fail(E_FULL);
        room(t, 1);
        Cap c = k.caps.insert(t, CAP_PAGE, (int) rights, s.first, s.count, null, s.quota, s);
        if (perm != 0) {
            long r = k.bindings.map(t, va, c, (int) perm);
            if (r < 0) {
                k.caps.free(c);
                k.envs.trimRecords(t);
                throw fail(r);
            }
        }
        return c.handle;
    }

    private long caprevoke(Env e, long h) {
        return k.caps.revoke(cap(e, h, 0, CAP_REVOKE));
    }

    private long capinfo(Env e, long h, long ptr) {
        Cap c = cap(e, h, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(CAPINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(c.type).putInt(c.rights).putLong(c.first).putLong(c.count);
        if (c.quota != null) b.putLong(c.quota.limit).putLong(c.quota.used);
        if (!k.umem.copyOut(e, ptr, b.array())) throw fail(E_FAULT);
        return 0;
    }

    // ---- the CPU ----

    private long exosched(Env e, long op, long a, long b) {
        Cpu c = k.sched.currentCpu();
        switch ((int) op == op ? (int) op : -1) {
            case EXOSCHED_YIELD -> {
                if (c != null) c.yield = true;
                return 0;
            }
            case EXOSCHED_YIELD_TO -> {
                Env t = live(envAny(e, a, CAP_W | CAP_X));
                if (t == e) {
                    if (c != null) c.yield = true;
                    return 0;
                }
                if (!k.sched.runnable(t)) throw fail(E_AGAIN);
                if (c != null) {
                    c.yield = true;
                    c.next = t;
                }
                k.trace.yieldTo(e, t);
                return 0;
            }
            case EXOSCHED_SLICE -> {
                if (a < 1 || a > SLICE_MAX) throw fail(E_INVAL);
                Cap run = e.runCap(); // the longest slice its share allows (the scheduler holds it to that too)
                if (run != null && a > run.count) throw fail(E_RANGE);
                e.sliceTicks = (int) a;
                return 0;
            }
            case EXOSCHED_BLOCK -> {
                if (a == 0 || (a & ~EV_ALL) != 0) throw fail(E_INVAL);
                k.events.block(e, (int) a); // pending events end it at once
                return NO_RESULT;
            }
            case EXOSCHED_WAIT -> {
                if ((a & 3) != 0) throw fail(E_INVAL);
                long pa = k.umem.translate(e, a, PageTable.PTE_R);
                if (pa < 0 || a >= EXO_UTOP) throw fail(E_FAULT);
                if (k.mem.load32(pa) == (int) b) k.events.sleepOn(e, pa);
                return 0;
            }
            case EXOSCHED_WAKE -> {
                if ((a & 3) != 0) throw fail(E_INVAL);
                long pa = k.umem.translate(e, a, 0);
                if (pa < 0 || a >= EXO_UTOP) throw fail(E_FAULT);
                return k.events.wake(pa);
            }
            default -> throw fail(E_INVAL);
        }
    }

    // ---- environments ----

    private long envCtl(Env e, long envh, long op, long arg) {
        if (op < ENV_START || op > ENV_INFO) throw fail(E_INVAL);
        Env t = env(e, envh, op == ENV_INFO ? CAP_R : CAP_W);
        if (op == ENV_INFO) {
            ByteBuffer b = ByteBuffer.allocate(ENVINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(t.id).putInt(t.parentId).putInt(t.state()).putInt(t.status).putLong(t.ticksRun)
                    .putInt(t.waits()).putInt(t.waitsOn()).putLong(t.childrenEnded)
                    .putInt(t.cpu != null ? t.cpu.id : -1);
            if (!k.umem.copyOut(e, arg, b.array())) throw fail(E_FAULT);
            return 0;
        }
        live(t);
        switch ((int) op) {
            case ENV_START -> {
                t.stopped = false;
                k.sched.changed(t);
                k.sched.kick();
                return 0;
            }
            case ENV_STOP -> {
                // Its own code stops; a call it serves or made goes on (exo.h).
                t.stopped = true;
                k.sched.changed(t);
                if (t.cpu != null) t.cpu.hart.requestInterrupt();
                k.pct.ownTurnOver(t); // (its own thread has no turn to wait for now)
                return 0;
            }
            case ENV_DESTROY -> {
                k.envs.destroy(t, (int) arg, null);
                return t == e ? NO_RESULT : 0;
            }
            case ENV_GETREGS -> {
                k.sched.steal(t);
                if (!k.umem.copyOut(e, arg, t.cur.regs.encode())) throw fail(E_FAULT);
                return 0;
            }
            default -> { // ENV_SETREGS
                byte[] b = k.umem.copyIn(e, arg, REGS_SIZE);
                if (b == null) throw fail(E_FAULT);
                k.sched.steal(t);
                t.cur.regs.decode(b, 0);
                return t == e ? NO_RESULT : 0;
            }
        }
    }

    // ---- secure bindings ----

    private long exoMap(Env e, long envh, long va, long page, long perm) {
        Env t = live(env(e, envh, CAP_W));
        userVa(va);
        mapPerm(perm);
        Cap p = cap(t, page, CAP_PAGE, (int) perm); // MAP_R/W/X are CAP_R/W/X
        long r = k.bindings.map(t, va, p, (int) perm);
        if (r < 0) throw fail(r);
        return r;
    }

    private long exoUnmap(Env e, long envh, long va) {
        Env t = live(env(e, envh, CAP_W));
        userVa(va);
        k.bindings.unmap(t, va);
        return 0;
    }

    private long exoDisk(Env e, long blocks, long blockno, long page, long off, long op) {
        if (op == EXO_DISK_FLUSH) {
            // Durability of what was written, by anyone: harmless to grant to any writer.
            cap(e, blocks, CAP_BLOCKS, CAP_W);
            k.devices.force();
            return 0;
        }
        if (op != EXO_DISK_READ && op != EXO_DISK_WRITE && op != EXO_DISK_WRITE_CACHED) throw fail(E_INVAL);
        boolean w = op != EXO_DISK_READ;
        Cap b = cap(e, blocks, CAP_BLOCKS, w ? CAP_W : CAP_R);
        if (!b.covers(blockno, 1)) throw fail(E_RANGE);
        Cap p = cap(e, page, CAP_PAGE, w ? CAP_R : CAP_W);
        if (off < 0 || off >= EXO_PGSIZE || off % EXO_BSIZE != 0) throw fail(E_INVAL);
        k.devices.blockIo(e, b, blockno, p, off, w);
        if (op == EXO_DISK_WRITE) k.devices.force();
        return 0;
    }

    // ---- devices ----

    /**
     * At most EXO_CONS_MAX bytes a call, as a read returns at most what it can: a call runs
     * with the kernel's lock held, and one write of a gigabyte (a page mapped at a quarter
     * of a million addresses) held every hart for as long as the console took to print it.
     */
    private long consWrite(Env e, long h, long buf, long n) {
        cap(e, h, CAP_CONSOLE, CAP_W);
        if (n < 0) throw fail(E_INVAL);
        int m = (int) Math.min(n, EXO_CONS_MAX);
        byte[] b = k.umem.copyIn(e, buf, m);
        if (b == null) throw fail(E_FAULT);
        k.devices.consoleWrite(b);
        return m;
    }

    private long consRead(Env e, long h, long buf, long n) {
        cap(e, h, CAP_CONSOLE, CAP_R);
        if (n < 0) throw fail(E_INVAL);
        if (n == 0) return 0;
        if (k.devices.input.available() == 0) throw fail(E_AGAIN);
        byte[] b = k.devices.input.peek((int) Math.min(n, ConsoleInput.SIZE));
        if (!k.umem.copyOut(e, buf, b)) throw fail(E_FAULT);
        k.devices.input.consume(b.length);
        return b.length;
    }

    // ---- upcalls ----

    private long exoUpcall(Env e, long handler, long stackTop, long mask) {
        if ((mask & ~UPCALL_ALL) != 0) throw fail(E_INVAL);
        if (mask != 0) {
            if (handler <= 0 || handler >= EXO_UTOP || stackTop <= 0 || stackTop > EXO_UTOP) throw fail(E_INVAL);
            long frame = (stackTop - FRAME_SIZE) & -16L;
            if (!k.umem.accessible(e, frame, FRAME_SIZE, PageTable.PTE_W)) throw fail(E_FAULT);
        }
        e.upcallHandler = handler;
        e.upcallStack = stackTop;
        e.upcallMask = (int) mask;
        return 0;
    }

    private long exoResume(Env e, long frame) {
        byte[] b = k.umem.copyIn(e, frame, REGS_SIZE);
        if (b == null) throw fail(E_FAULT);
        e.cur.regs.decode(b, 0);
        if (e.cur.inHandler) {
            e.cur.inHandler = false;
            k.pct.serveWaiters(e); // calls that waited for the handler to end
        }
        return NO_RESULT;
    }

    private long exoNotices(Env e, long ptr, long max) {
        if (max < 0) throw fail(E_INVAL);
        int n = (int) Math.min(max, e.notices.size());
        if (n == 0) return 0;
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        for (int h : e.notices) {
            if (i++ == n) break;
            b.putInt(h);
        }
        if (!k.umem.copyOut(e, ptr, b.array())) throw fail(E_FAULT);
        for (int j = 0; j < n; j++) e.notices.poll();
        return n;
    }

    // ---- protected control transfer ----

    private long pctRegister(Env e, long entry, long stackTop, long policy) {
        if (policy != PCT_ANY && policy != PCT_KNOWN) throw fail(E_INVAL);
        if (entry != 0 && (entry < 0 || entry >= EXO_UTOP || stackTop <= 0 || stackTop > EXO_UTOP)) throw fail(E_INVAL);
        e.pctEntry = entry;
        e.pctStack = entry == 0 ? 0 : stackTop;
        e.pctPolicy = (int) policy;
        return 0;
    }

    private long pctCall(Env e, long h) {
        Env s;
        Cap through = null;
        if (h == EXO_SELF) {
            s = e;
        } else {
            through = cap(e, h, CAP_ENV, CAP_X);
            s = through.target;
        }
        live(s);
        if (!ProtectedControlTransfer.accepts(s, e)) throw fail(E_REFUSED);
        if (s.root() == e.root()) throw fail(E_BUSY); // s is e or one of its callers (e, running, is its chain's innermost): it would wait for itself
        k.pct.call(e, s, through);
        return NO_RESULT;
    }

    private long pctReturn(Env e) {
        if (!e.serving()) throw fail(E_INVAL);
        k.pct.endCall(e);
        return NO_RESULT;
    }
}
