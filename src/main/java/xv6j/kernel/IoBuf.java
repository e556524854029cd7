package xv6j.kernel;

/**
 * One end of a copy made by the file system (xv6's either_copyin/either_copyout with
 * their user_src flag): a user virtual address in a page table, or a kernel byte array.
 */
sealed interface IoBuf {

    /** Copies n bytes from src[soff..] to this buffer at offset at. False on a bad user address. */
    boolean copyOut(Vm vm, long at, byte[] src, int soff, int n);

    /** Copies n bytes from this buffer at offset at into dst[doff..]. False on a bad user address. */
    boolean copyIn(Vm vm, long at, byte[] dst, int doff, int n);

    /** Process p's memory at va (its lazily grown pages get memory as they are copied). */
    record User(Proc p, long va) implements IoBuf {
        @Override
        public boolean copyOut(Vm vm, long at, byte[] src, int soff, int n) {
            return vm.copyOut(p, va + at, src, soff, n);
        }

        @Override
        public boolean copyIn(Vm vm, long at, byte[] dst, int doff, int n) {
            return vm.copyIn(p, dst, doff, va + at, n);
        }
    }

    record Kernel(byte[] array, int off) implements IoBuf {
        @Override
        public boolean copyOut(Vm vm, long at, byte[] src, int soff, int n) {
            System.arraycopy(src, soff, array, off + (int) at, n);
            return true;
        }

        @Override
        public boolean copyIn(Vm vm, long at, byte[] dst, int doff, int n) {
            System.arraycopy(array, off + (int) at, dst, doff, n);
            return true;
        }
    }
}
