package xv6j.kernel;

/** A process slot's state, as xv6's enum procstate. */
public enum ProcState {
    UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE
}
