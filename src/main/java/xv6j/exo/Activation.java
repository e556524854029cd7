package xv6j.exo;

/**
 * One thread of control inside an environment: its registers and what it waits for. An
 * environment normally has one; while it serves a protected control transfer it has two,
 * the call's (current) and its own interrupted one (saved), which comes back when the
 * call returns, still blocked if it was.
 */
final class Activation {
    /** The environment it belongs to (a wake of the word it sleeps on may let that one's thread run). */
    final Env env;
    final Regs regs = new Regs();
    /** Events this activation sleeps for (EXOSCHED_BLOCK), or 0. */
    int blockMask;
    /** Physical address of the word it sleeps on (EXOSCHED_WAIT), or -1. */
    long waitPa = -1;
    /** True between an upcall and exo_resume: a fault now destroys the environment. */
    boolean inHandler;
    /**
     * The environment this activation's pct_call is into (waiting in its queue, or being
     * served), or null. The checker proves that only the activation that made a call is
     * ever given its results.
     */
    Env calling;

    Activation(Env env) {
        this.env = env;
    }

    boolean blocked() {
        return blockMask != 0 || waitPa != -1;
    }
}
