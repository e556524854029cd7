package xv6j.bench;

import java.util.Collection;
import java.util.Locale;

/**
 * What several runs of one measurement gave: the median, which a figure reports, and
 * the extremes, which say how far it can be trusted. On a busy host the wall-clock runs
 * of a benchmark spread widely; a figure whose runs spread more than {@link #TRUSTED}
 * either side of the median is marked, not silently printed.
 */
record Sample(double median, double min, double max, int runs) {
    /** Half the range of the runs, over the median, beyond which a figure is not to be trusted. */
    static final double TRUSTED = 0.25;

    static Sample of(Collection<Double> values) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Sample(Stats.median(values), min, max, values.size());
    }

    /** One measurement: no spread to speak of. */
    static Sample one(double value) {
        return new Sample(value, value, value, 1);
    }

    /** Half the range of the runs over the median (0.04 is ±4%); 0 for a single run. */
    double spread() {
        return median == 0 ? 0 : (max - min) / 2 / Math.abs(median);
    }

    boolean trusted() {
        return spread() <= TRUSTED;
    }

    /** The same runs as k / value (seconds to MIPS, say): the extremes swap. */
    Sample inverse(double k) {
        return new Sample(k / median, k / max, k / min, runs);
    }

    /** The same runs with shift added to each (a start-up time taken off). */
    Sample plus(double shift) {
        return new Sample(median + shift, min + shift, max + shift, runs);
    }

    /** This over another sample: the ratio of the medians, between the most and least favourable pairs of runs. */
    Sample over(Sample base) {
        return new Sample(median / base.median, min / base.max, max / base.min, Math.min(runs, base.runs));
    }

    /** " ±4%", or " ±61%*" for a figure not to be trusted; "" for one run. */
    String shown() {
        if (runs < 2) return "";
        return String.format(Locale.ROOT, " ±%.0f%%%s", 100 * spread(), trusted() ? "" : "*");
    }
}
