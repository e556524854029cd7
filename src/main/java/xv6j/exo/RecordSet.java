package xv6j.exo;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * A set in the order its members came, whose Java memory follows how many it holds now.
 * Each member is a record some quota pays for (a mapping, a capability); a LinkedHashSet
 * keeps the table it grew to however many it holds later, so one filled once and emptied
 * kept memory no quota paid for, in every environment or page an attacker did it to. This
 * one is made again, smaller, when it holds a quarter of the most it held since it was
 * made: the copy costs what the removals since then did, three times over at most.
 */
final class RecordSet<T> extends AbstractSet<T> {
    /** Tables this small are not worth making again. */
    private static final int SMALL = 64;

    private LinkedHashSet<T> set = new LinkedHashSet<>();
    /** The most it held since the table was made: the table's size follows it. */
    private int most;

    @Override
    public boolean add(T x) {
        if (!set.add(x)) return false;
        most = Math.max(most, set.size());
        return true;
    }

    @Override
    public boolean remove(Object x) {
        if (!set.remove(x)) return false;
        if (most > SMALL && set.size() * 4 <= most) {
            set = new LinkedHashSet<>(set);
            most = set.size();
        }
        return true;
    }

    @Override
    public boolean contains(Object x) {
        return set.contains(x);
    }

    @Override
    public int size() {
        return set.size();
    }

    /** The member that came first of those it holds. */
    T getFirst() {
        return set.getFirst();
    }

    /** Its members in the order they came (read only: remove through the set). */
    @Override
    public Iterator<T> iterator() {
        Iterator<T> it = set.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }
        };
    }

    /** How many members its table was made for: what it costs the kernel's memory. */
    int room() {
        return most;
    }
}
