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
 *
 * <p>Most hold one member for their whole life (a page mapped once, an environment's one
 * CPU capability): that one is kept in a field, and the table is made only for a second.
 * (A LinkedHashSet for each page's single mapping was a fork's most frequent allocation.)
 */
final class RecordSet<T> extends AbstractSet<T> {
    /** Tables this small are not worth making again. */
    private static final int SMALL = 64;

    /** The member, while there is no table (then it holds this one, or none if null). */
    private T one;
    /** Its members in the order they came, once a second came; null again when one is left. */
    private LinkedHashSet<T> set;
    /** The most it held since the table was made: the table's size follows it. */
    private int most;

    @Override
    public boolean add(T x) {
        if (x == null) throw new NullPointerException();
        if (set == null) {
            if (one == null) {
                one = x;
                most = Math.max(most, 1);
                return true;
            }
            if (one.equals(x)) return false;
            set = new LinkedHashSet<>();
            set.add(one);
            one = null;
        }
        if (!set.add(x)) return false;
        most = Math.max(most, set.size());
        return true;
    }

    @Override
    public boolean remove(Object x) {
        if (set == null) {
            if (one == null || !one.equals(x)) return false;
            one = null;
            return true;
        }
        if (!set.remove(x)) return false;
        if (set.size() <= 1) {
            one = set.isEmpty() ? null : set.getFirst();
            set = null;
            most = size();
        } else if (most > SMALL && set.size() * 4 <= most) {
            set = new LinkedHashSet<>(set);
            most = set.size();
        }
        return true;
    }

    @Override
    public boolean contains(Object x) {
        return set == null ? one != null && one.equals(x) : set.contains(x);
    }

    @Override
    public int size() {
        return set == null ? (one == null ? 0 : 1) : set.size();
    }

    /** The member that came first of those it holds. */
    T getFirst() {
        if (set != null) return set.getFirst();
        if (one == null) throw new java.util.NoSuchElementException();
        return one;
    }

    /** Its members in the order they came (read only: remove through the set). */
    @Override
    public Iterator<T> iterator() {
        if (set == null) {
            return new Iterator<>() {
                private T next = one;

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public T next() {
                    if (next == null) throw new java.util.NoSuchElementException();
                    T x = next;
                    next = null;
                    return x;
                }
            };
        }
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
