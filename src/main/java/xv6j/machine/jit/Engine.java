package xv6j.machine.jit;

import java.util.Locale;

/**
 * How a hart runs user code. Every engine gives the same results, instruction for
 * instruction (the interpreter is the reference); they differ only in speed.
 */
public enum Engine {
    /** The interpreter alone: no code is compiled. The reference, and what a debugger needs. */
    INTERPRETER,
    /** The interpreter first; code that turns hot is translated to JVM bytecode. The default. */
    TRANSLATOR,
    /** Every entry point the interpreter reaches is translated at once (a test of the translator). */
    EAGER;

    /** The system property that chooses the default engine: {@code -Dxv6j.engine=interpreter}. */
    public static final String PROPERTY = "xv6j.engine";

    /** The engine when no property says otherwise. */
    public static final Engine DEFAULT = TRANSLATOR;

    /** The engine a new hart gets: the {@value #PROPERTY} property, else {@link #DEFAULT}. */
    public static Engine fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isEmpty()) return DEFAULT;
        Engine e = parse(v);
        if (e == null) throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": not an engine (" + names() + ")");
        return e;
    }

    /** The engine called name (as on the command line), or null. */
    public static Engine parse(String name) {
        for (Engine e : values()) if (e.flag().equals(name.toLowerCase(Locale.ROOT))) return e;
        return null;
    }

    /** The name on the command line: interpreter, translator, eager. */
    public String flag() { return name().toLowerCase(Locale.ROOT); }

    /** "interpreter, translator or eager". */
    public static String names() { return "interpreter, translator or eager"; }
}
