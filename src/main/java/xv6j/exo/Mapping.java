package xv6j.exo;

/**
 * A secure binding: page table entry va of env maps the page of cap, which is one of
 * env's own capabilities. It lives exactly as long as the capability.
 *
 * <p>Equal only to itself: an environment has one binding per address at a time, so the
 * object is the binding. (As a record it hashed its three fields each time its page's set
 * of bindings looked it up: 2.4% of a fork's hart thread by JFR.)
 */
final class Mapping {
    private final Env env;
    private final long va;
    private final Cap cap;

    Mapping(Env env, long va, Cap cap) {
        this.env = env;
        this.va = va;
        this.cap = cap;
    }

    Env env() {
        return env;
    }

    long va() {
        return va;
    }

    Cap cap() {
        return cap;
    }

    @Override
    public String toString() {
        return "Mapping[" + env + " va 0x" + Long.toHexString(va) + "]";
    }
}
