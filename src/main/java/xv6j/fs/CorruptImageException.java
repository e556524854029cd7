package xv6j.fs;

import java.io.IOException;
import java.util.List;

/**
 * An image breaks the xv6 format where a reader needed it to hold. The message names the
 * structure and the offending value in one line; {@link #problems()} lists each problem
 * found when several were (a superblock can be wrong in more than one way).
 */
public final class CorruptImageException extends IOException {
    private final List<String> problems;

    public CorruptImageException(String problem) {
        this(List.of(problem));
    }

    public CorruptImageException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a corrupt image needs a problem");
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
