package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RecordSet keeps one member without a table, and behaves as an insertion-ordered set through every change of form. */
class RecordSetTest {
    @Test
    void oneMemberComesAndGoesAsInASet() {
        RecordSet<String> s = new RecordSet<>();
        assertEquals(0, s.size());
        assertFalse(s.iterator().hasNext());
        assertThrows(NoSuchElementException.class, s::getFirst);
        assertTrue(s.add("a"));
        assertFalse(s.add(new String("a")), "an equal member is already there");
        assertEquals(List.of("a"), new ArrayList<>(s));
        assertTrue(s.contains("a"));
        assertFalse(s.remove("b"));
        assertTrue(s.remove("a"));
        assertFalse(s.contains("a"));
        assertEquals(0, s.size());
    }

    @Test
    void theOrderMembersCameInSurvivesGrowingAndShrinking() {
        RecordSet<String> s = new RecordSet<>();
        s.add("a");
        s.add("b");
        s.add("c");
        s.remove("a");
        s.remove("c");
        assertEquals(List.of("b"), new ArrayList<>(s));
        s.add("d");
        assertEquals(List.of("b", "d"), new ArrayList<>(s));
        assertEquals("b", s.getFirst());
    }

    /** Thousands of random adds and removes, against a list that keeps the same members in the same order. */
    @Test
    void agreesWithAnOrderedListUnderRandomChanges() {
        Random r = new Random(19);
        RecordSet<Integer> s = new RecordSet<>();
        List<Integer> model = new ArrayList<>();
        for (int step = 0; step < 20000; step++) {
            int x = r.nextInt(step % 1000 < 500 ? 3 : 200);
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(Integer.valueOf(x)), s.remove(x), "remove " + x + " at step " + step);
            } else {
                boolean fresh = !model.contains(x);
                if (fresh) model.add(x);
                assertEquals(fresh, s.add(x), "add " + x + " at step " + step);
            }
            assertEquals(model.size(), s.size());
            assertEquals(model.contains(x), s.contains(x));
            if (step % 97 == 0) assertEquals(model, new ArrayList<>(s), "at step " + step);
        }
    }
}
