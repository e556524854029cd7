package xv6j.kernel;

import static xv6j.kernel.Riscv.PGSIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import xv6j.elf.ElfFormatException;
import xv6j.elf.ElfHeader;
import xv6j.elf.ProgramHeader;

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
    private final Kernel k;

    Exec(Kernel k) {
        this.k = k;
    }

    private static long flags2perm(ProgramHeader ph) {
        long perm = 0;
        if (ph.executable()) perm = Riscv.PTE_X;
        if (ph.writable()) perm |= Riscv.PTE_W;
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
            // The file is read piecewise, as xv6 does, so a big program is never held whole;
            // xv6j.elf decodes and checks each piece (the same decoder the exokernel's boot
            // loader uses).
            byte[] eh = new byte[ElfHeader.SIZE];
            if (k.itable.readi(p, ip, new IoBuf.Kernel(eh, 0), 0, eh.length) != eh.length) return fail(p, ip, pagetable, sz);
            ElfHeader elf;
            try {
                elf = ElfHeader.decode(eh);
            } catch (ElfFormatException e) {
                return fail(p, ip, pagetable, sz);
            }

            pagetable = k.vm.uvmCreate();
            if (pagetable == 0) return fail(p, ip, pagetable, sz);

            byte[] phb = new byte[ProgramHeader.SIZE];
            for (int i = 0; i < elf.phnum(); i++) {
                long off = elf.programHeaderOffset(i);
                if (off > Integer.MAX_VALUE
                        || k.itable.readi(p, ip, new IoBuf.Kernel(phb, 0), off, phb.length) != phb.length)
                    return fail(p, ip, pagetable, sz);
                ProgramHeader ph;
                try {
                    ph = ProgramHeader.decode(phb, 0);
                } catch (ElfFormatException e) {
                    return fail(p, ip, pagetable, sz);
                }
                if (!ph.isLoad()) continue;
                long vaddr = ph.vaddr(), memsz = ph.memsz();
                // Compared so that nothing overflows: vaddr + memsz of 2^63 or more (ELF sizes
                // are unsigned) was negative, passed "vaddr + memsz > MAXVA", made uvmAlloc
                // allocate nothing, and loading its bytes panicked the kernel.
                if (vaddr < 0 || memsz < 0 || memsz > Riscv.MAXVA - vaddr) return fail(p, ip, pagetable, sz);
                if (vaddr % PGSIZE != 0) return fail(p, ip, pagetable, sz);
                // Segments go up, as the ELF specification orders them (the LibOS's loader
                // checks the same): one starting below the pages already there would load
                // over them, and a file of thousands of such segments, each loading the
                // whole file again, would keep exec copying for seconds while it holds the
                // CPU and the log. Going up, exec loads no more than the image it builds.
                if (vaddr < Riscv.pgRoundDown(sz)) return fail(p, ip, pagetable, sz);
                long sz1 = k.vm.uvmAlloc(pagetable, sz, vaddr + memsz, flags2perm(ph));
                if (sz1 == 0) return fail(p, ip, pagetable, sz);
                sz = sz1;
                if (!loadSeg(p, pagetable, vaddr, ip, ph.offset(), ph.filesz())) return fail(p, ip, pagetable, sz);
            }
            k.itable.iunlockput(p, ip);
            k.log.endOp(p);
            ip = null;

            long oldsz = p.sz, oldLazyFrom = p.lazyFrom;

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
            p.lazyFrom = Riscv.MAXVA;   // exec mapped every page of the new image
            p.trapframe.pc = elf.entry();
            p.trapframe.x[TrapFrame.SP] = sp;
            java.util.Arrays.fill(p.trapframe.f, 0);
            p.trapframe.fcsr = 0;
            k.vm.uvmFree(oldPagetable, oldsz, oldLazyFrom);
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
        if (pagetable != 0) k.vm.uvmFree(pagetable, sz, Riscv.MAXVA);   // exec mapped all of it
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
