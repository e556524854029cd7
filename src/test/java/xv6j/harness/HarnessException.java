package xv6j.harness;

/** Why the harness could not load or run a program: a one-line message for the user. */
public final class HarnessException extends Exception {
    public HarnessException(String message) { super(message); }
}
