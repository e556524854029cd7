package xv6j.kernel;

import static xv6j.kernel.Riscv.PGSIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * exec, as xv6's exec.c: replace a process's memory with a program from an ELF file.
 * The new image is built in a fresh page table and swapped in only when complete, so on
 * any failure the old image is untouched and exec returns -1.
 *
 * <p>Layout: the PT_LOAD segments from virtual address 0 with their R/W/X rights, then a
 * guard page (no U bit) and a one-page stack. argv strings are copied to the top of the
 * stack, then the argv pointer array; each 16-byte aligned. On entry a0 = argc and
 * a1 = sp = argv.
 */
final class Exec {
    private static final int ELF_MAGIC = 0x464C457F; // "\x7FELF" little-endian
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    private static final int PF_W = 2;

    private final Kernel k;

    Exec(Kernel k) {
        this.k = k;
    }

    private static long flags2perm(int flags) {
        long perm = 0;
        if ((flags & PF_X) != 0) perm = Riscv.PTE_X;
        if ((flags & PF_W) != 0) perm |= Riscv.PTE_W;
        return perm;
    }

    /** Returns argc (which becomes a0), or -1. */
    int exec(Proc p, String path, String[] argv) {
        long pagetable = 0;
        long sz = 0;
        Inode ip;

        k.log.beginOp(p);
        ip = k.namei.namei(p, path);
        if (ip == null) {
            k.log.endOp(p);
            return -1;
        }
        k.itable.ilock(p, ip);
        try {
            byte[] eh = new byte[EHDR_SIZE];
            if (k.itable.readi(p, ip, new IoBuf.Kernel(eh, 0), 0, EHDR_SIZE) != EHDR_SIZE) return fail(p, ip, pagetable, sz);
            ByteBuffer elf = ByteBuffer.wrap(eh).order(ByteOrder.LITTLE_ENDIAN);
            if (elf.getInt(0) != ELF_MAGIC) return fail(p, ip, pagetable, sz);
            long entry = elf.getLong(24);
            long phoff = elf.getLong(32);
            int phnum = elf.getShort(56) & 0xffff;

            pagetable = k.vm.uvmCreate();
            if (pagetable == 0) return fail(p, ip, pagetable, sz);

            byte[] ph = new byte[PHDR_SIZE];
            for (int i = 0; i < phnum; i++) {
                long off = phoff + (long) i * PHDR_SIZE;
                if (off < 0 || off > Integer.MAX_VALUE
                        || k.itable.readi(p, ip, new IoBuf.Kernel(ph, 0), off, PHDR_SIZE) != PHDR_SIZE)
                    return fail(p, ip, pagetable, sz);
                ByteBuffer h = ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN);
                if (h.getInt(0) != PT_LOAD) continue;
                int flags = h.getInt(4);
                long offset = h.getLong(8);
                long vaddr = h.getLong(16);
                long filesz = h.getLong(32);
                long memsz = h.getLong(40);
                if (Long.compareUnsigned(memsz, filesz) < 0) return fail(p, ip, pagetable, sz);
                if (vaddr + memsz < vaddr || vaddr < 0 || vaddr + memsz > Riscv.MAXVA) return fail(p, ip, pagetable, sz);
                if (vaddr % PGSIZE != 0) return fail(p, ip, pagetable, sz);
                // Segments go up, as the ELF specification orders them (the LibOS's loader
                // checks the same): one starting below the pages already there would load
                // over them, and a file of thousands of such segments, each loading the
                // whole file again, would keep exec copying for seconds while it holds the
                // CPU and the log. Going up, exec loads no more than the image it builds.
                if (vaddr < Riscv.pgRoundDown(sz)) return fail(p, ip, pagetable, sz);
                long sz1 = k.vm.uvmAlloc(pagetable, sz, vaddr + memsz, flags2perm(flags));
                if (sz1 == 0) return fail(p, ip, pagetable, sz);
                sz = sz1;
                if (!loadSeg(p, pagetable, vaddr, ip, offset, filesz)) return fail(p, ip, pagetable, sz);
            }
            k.itable.iunlockput(p, ip);
            k.log.endOp(p);
            ip = null;

            long oldsz = p.sz;

            // A guard page, inaccessible to user mode, then the stack.
            sz = Riscv.pgRoundUp(sz);
            long sz1 = k.vm.uvmAlloc(pagetable, sz, sz + (Param.USERSTACK + 1) * PGSIZE, Riscv.PTE_W);
            if (sz1 == 0) return fail(p, null, pagetable, sz);
            sz = sz1;
            k.vm.uvmClear(pagetable, sz - (Param.USERSTACK + 1) * PGSIZE);
            long sp = sz;
            long stackbase = sp - Param.USERSTACK * PGSIZE;

            if (argv.length > Param.MAXARG) return fail(p, null, pagetable, sz);
            long[] ustack = new long[argv.length + 1];
            for (int argc = 0; argc < argv.length; argc++) {
                byte[] s = argv[argc].getBytes(StandardCharsets.ISO_8859_1);
                sp -= s.length + 1;
                sp -= sp % 16; // riscv sp must be 16-byte aligned
                if (sp < stackbase) return fail(p, null, pagetable, sz);
                byte[] withNul = java.util.Arrays.copyOf(s, s.length + 1);
                if (!k.vm.copyOut(pagetable, sp, withNul, 0, withNul.length)) return fail(p, null, pagetable, sz);
                ustack[argc] = sp;
            }
            ustack[argv.length] = 0;

            // The argv[] array of pointers.
            sp -= (long) ustack.length * 8;
            sp -= sp % 16;
            if (sp < stackbase) return fail(p, null, pagetable, sz);
            byte[] arr = new byte[ustack.length * 8];
            ByteBuffer.wrap(arr).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(ustack);
            if (!k.vm.copyOut(pagetable, sp, arr, 0, arr.length)) return fail(p, null, pagetable, sz);

            // a0 = argc is exec's return value; a1 = argv.
            p.trapframe.x[TrapFrame.A1] = sp;

            int slash = path.lastIndexOf('/');
            p.name = path.substring(slash + 1);
            if (p.name.length() > 15) p.name = p.name.substring(0, 15);

            // Commit to the new image.
            long oldPagetable = p.pagetable;
            p.pagetable = pagetable;
            p.addressSpace = k.newAddressSpace();
            p.sz = sz;
            p.trapframe.pc = entry;
            p.trapframe.x[TrapFrame.SP] = sp;
            java.util.Arrays.fill(p.trapframe.f, 0);
            p.trapframe.fcsr = 0;
            k.vm.uvmFree(oldPagetable, oldsz);
            return argv.length;
        } catch (RuntimeException e) {
            if (ip != null) {
                k.itable.iunlockput(p, ip);
                k.log.endOp(p);
            }
            throw e;
        }
    }

    private int fail(Proc p, Inode ip, long pagetable, long sz) {
        if (pagetable != 0) k.vm.uvmFree(pagetable, sz);
        if (ip != null) {
            k.itable.iunlockput(p, ip);
            k.log.endOp(p);
        }
        return -1;
    }

    /** Loads a segment's file bytes into its (already mapped) pages. */
    private boolean loadSeg(Proc p, long pagetable, long va, Inode ip, long offset, long sz) {
        if (offset < 0 || offset + sz < offset || offset + sz > 0xffffffffL) return false;
        byte[] page = new byte[PGSIZE];
        for (long i = 0; i < sz; i += PGSIZE) {
            long pa = k.vm.walkAddr(pagetable, va + i);
            if (pa == 0) throw new KernelPanic("loadseg: address should exist");
            int n = (int) Math.min(sz - i, PGSIZE);
            if (k.itable.readi(p, ip, new IoBuf.Kernel(page, 0), offset + i, n) != n) return false;
            k.vm.mem().write(pa, page, 0, n);
        }
        return true;
    }
}
