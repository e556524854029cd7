package xv6j.bench;

import java.util.Collection;

/** The little statistics the benchmarks need. */
final class Stats {
    private Stats() {}

    /** The median (for an even count, the mean of the middle two). */
    static double median(Collection<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("median of nothing");
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
