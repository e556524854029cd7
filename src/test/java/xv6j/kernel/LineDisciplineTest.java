package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import xv6j.kernel.LineDiscipline.Event;

/**
 * The console's line discipline key by key: what each key echoes (the terminal's cursor
 * moves with backspaces and reprinted text) and what a read then gets. The LibOS's C
 * discipline is held to the same screens by user/libos/test/libosconsole.c.
 */
class LineDisciplineTest {
    private final LineDiscipline ld = new LineDiscipline();
    private final ByteArrayOutputStream echo = new ByteArrayOutputStream();

    private Event type(String keys) {
        Event last = Event.NONE;
        for (char c : keys.toCharArray()) {
            Event e = ld.input(c, echo);
            if (e != Event.NONE) last = e;
        }
        return last;
    }

    private String echoed() {
        String s = echo.toString(StandardCharsets.ISO_8859_1);
        echo.reset();
        return s;
    }

    private String read() {
        byte[] b = new byte[200];
        int n = ld.read(b, b.length);
        return n < 0 ? null : new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void insertingInTheMiddleRedrawsTheRestOfTheLine() {
        type("ac\u001b[D");
        assertEquals("ac\b", echoed());
        type("b");
        assertEquals("bc\b", echoed(), "b, then c again, then back over c");
        assertEquals(Event.COMMITTED, type("\r"));
        assertEquals("c\n", echoed(), "the cursor goes to the end before the newline");
        assertEquals("abc\n", read());
        assertEquals(null, read());
    }

    @Test
    void backspaceAndDeleteInTheMiddleCloseTheGap() {
        type("abcd\u001b[D\u001b[D");
        echoed();
        type("\u007f");
        assertEquals("\bcd \b\b\b", echoed());
        type("\u001b[3~");
        assertEquals("d \b\b", echoed());
        type("\n");
        assertEquals("ad\n", read());
    }

    @Test
    void homeEndAndCtrlUWorkFromAnywhereInTheLine() {
        type("xyz\u001b[H");
        assertEquals("xyz\b\b\b", echoed());
        type("\u001b[4~");
        assertEquals("xyz", echoed(), "End (ESC [ 4 ~) moves over the text again");
        type("\u001b[D\u0015");
        assertEquals("\bz\b \b\b \b\b \b", echoed());
        type("ok\n");
        assertEquals("ok\n", read());
    }

    @Test
    void upAndDownWalkTheHistoryAndGiveBackTheDraft() {
        type("one\ntwo\ntwo\n");
        read();
        read();
        read();
        echoed();
        type("dr\u001b[A");
        assertEquals("dr\b \b\b \btwo", echoed(), "the draft typed and erased, the last line shown; two once, not twice");
        type("\u001b[A\u001b[A");
        assertEquals("\b \b\b \b\b \bone", echoed(), "one further back; then nothing older");
        type("\u001b[B\u001b[B");
        assertEquals("\b \b\b \b\b \btwo\b \b\b \b\b \bdr", echoed());
        type("\n");
        assertEquals("dr\n", read());
    }

    @Test
    void ctrlCThrowsTheLineAwayAndAtThePromptCommitsAnEmptyLine() {
        type("ab\u001b[D");
        echoed();
        assertEquals(Event.INTERRUPT, type("\u0003"));
        ld.interrupt(echo);
        assertEquals("b^C\n", echoed());
        assertEquals(null, read());
        type("x\u0003");
        ld.interrupt(echo);
        assertEquals(Event.COMMITTED, ld.commitEmptyLine(), "nothing was interrupted");
        assertEquals("\n", read(), "the shell at its prompt reads an empty line and prompts again");
    }

    @Test
    void otherControlKeysAndUnknownSequencesAreNotTyped() {
        type("a\u0007\u001bOP\u001b[5~\u001b[1;5Qb\u001bxc\n");
        assertEquals("abxc\n", read(), "a bell, F1, Page Up, Ctrl-F4 left nothing; ESC x (Alt-x) is x");
    }

    @Test
    void aFullBufferIsCommittedAndTypingStopsThere() {
        for (int i = 0; i < LineDiscipline.INPUT_BUF_SIZE + 10; i++) type("z");
        assertEquals(LineDiscipline.INPUT_BUF_SIZE, read().length());
    }
}
