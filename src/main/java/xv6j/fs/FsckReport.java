package xv6j.fs;

import java.util.List;
import java.util.Locale;

/**
 * What fsck found on an image: one finding per problem, in the order the checks ran.
 *
 * @param replayPending the log held a committed transaction, so the findings describe the
 *                      image as it will be once recovery (or {@code fsck --replay})
 *                      installs it
 */
public record FsckReport(List<Finding> findings, boolean replayPending) {

    /**
     * How bad a finding is. An error breaks an invariant xv6 keeps; a warning is a state
     * xv6 itself can leave that wastes space or is unusual but harms nothing; a note is
     * information.
     */
    public enum Severity {
        ERROR, WARNING, NOTE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Finding(Severity severity, String message) {
        @Override
        public String toString() {
            return severity.label() + ": " + message;
        }
    }

    public FsckReport {
        findings = List.copyOf(findings);
    }

    /** True when no finding is an error. */
    public boolean clean() {
        return errors().isEmpty();
    }

    public List<Finding> errors() {
        return of(Severity.ERROR);
    }

    public List<Finding> warnings() {
        return of(Severity.WARNING);
    }

    public List<Finding> of(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).toList();
    }

    /** One line: "clean", or how many errors and warnings. */
    public String summary() {
        int e = errors().size();
        int w = warnings().size();
        String after = replayPending ? " after log replay" : "";
        if (e == 0 && w == 0) return "clean" + after;
        return (e == 0 ? "clean" : plural(e, "error")) + (w == 0 ? "" : ", " + plural(w, "warning"))
                + after;
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
