package xv6j.kernel;

import java.io.ByteArrayOutputStream;

/**
 * The console's line discipline, the editing half of xv6's console.c: typed bytes are
 * echoed and collected into lines, and a read takes at most one line. On top of xv6's
 * keys (backspace, ^U erases the line, ^D ends the input, ^P lists the processes) the
 * line being typed can be edited as in a shell: left and right arrows, Home and End
 * move the cursor, Delete erases under it, and Up and Down walk through the last
 * {@link #HISTORY} lines. ^C throws the line away and asks the driver to interrupt
 * (see {@link ConsoleDevice}).
 *
 * <p>The buffer is xv6's ring: [r, w) is committed input waiting for a reader, [w, e) the
 * line being typed, with the cursor at c. Not thread-safe: the driver's lock covers it.
 * The LibOS has the same discipline in C (user/libos/lib/linedisc.c), so both kernels'
 * consoles behave alike.
 */
final class LineDiscipline {
    static final int INPUT_BUF_SIZE = 128;
    static final int HISTORY = 16;

    /** What the driver must do after a key. */
    enum Event {
        NONE,
        /** a line (or ^D, or a full buffer) was committed: wake the readers */
        COMMITTED,
        /** ^P: list the processes */
        PROCDUMP,
        /** ^C: call {@link #interrupt}, interrupt the foreground, and if that was nothing {@link #commitEmptyLine} */
        INTERRUPT
    }

    private static final int ESC = 0x1b, DEL = 0x7f;

    /** ^C: interrupts the foreground, and throws away the line and whatever waits behind it. */
    static final int CTRL_C = 'C' - '@';

    private static int ctrl(char c) {
        return c - '@';
    }

    private final byte[] buf = new byte[INPUT_BUF_SIZE];
    private long r, w, e, c;

    /** Earlier lines, oldest first, without their newlines. */
    private final byte[][] history = new byte[HISTORY][];
    private int lines;
    /** While walking the history with Up and Down: how far back (1 = the last line), else 0. */
    private int back;
    /** The line that was being typed when the walk began, given back by Down. */
    private byte[] draft;

    /** Escape sequence being read: 0 none, 1 after ESC, 2 after ESC [ (CSI), 3 after ESC O. */
    private int esc;
    private int escParam;

    private int at(long i) {
        return buf[(int) (i % INPUT_BUF_SIZE)] & 0xff;
    }

    private void set(long i, int v) {
        buf[(int) (i % INPUT_BUF_SIZE)] = (byte) v;
    }

    /** Whether the buffer is full: nothing more can be typed until a reader takes some. */
    boolean full() {
        return e - r >= INPUT_BUF_SIZE;
    }

    /** One typed byte; what it echoes goes to echo. */
    Event input(int ch, ByteArrayOutputStream echo) {
        if (esc != 0) return escape(ch, echo);
        if (ch == ESC) {
            esc = 1;
            return Event.NONE;
        }
        if (ch == ctrl('P')) return Event.PROCDUMP;
        if (ch == CTRL_C) return Event.INTERRUPT;
        if (ch == ctrl('U')) {
            toEnd(echo);
            while (e != w) {
                e--;
                echo.writeBytes(new byte[] {'\b', ' ', '\b'});
            }
            c = e;
            back = 0;
            return Event.NONE;
        }
        if (ch == ctrl('H') || ch == DEL) {
            if (c != w) {
                left(echo);
                erase(echo);
            }
            back = 0;
            return Event.NONE;
        }
        if (ch == '\r') ch = '\n';
        if (ch == '\n' || ch == ctrl('D')) {
            if (e - r >= INPUT_BUF_SIZE) return Event.NONE;
            toEnd(echo);
            if (ch == '\n') remember();
            set(e++, ch);
            echo.write(ch);
            c = w = e;
            back = 0;
            return Event.COMMITTED;
        }
        if (ch < ' ' && ch != '\t') return Event.NONE; // another control key: not part of a line
        if (e - r >= INPUT_BUF_SIZE) return Event.NONE;
        insert(ch, echo);
        back = 0;
        if (e - r == INPUT_BUF_SIZE) {
            // A full buffer is committed, as xv6's is, so a reader can make room.
            toEnd(echo);
            c = w = e;
            return Event.COMMITTED;
        }
        return Event.NONE;
    }

    /** ^C, once its key is in: the line being typed is thrown away, and ^C echoed. */
    void interrupt(ByteArrayOutputStream echo) {
        toEnd(echo);
        echo.writeBytes(new byte[] {'^', 'C', '\n'});
        e = c = w;
        back = 0;
    }

    /**
     * After a ^C that interrupted nothing (the shell was at its prompt): an empty line is
     * committed, so that the reader starts a fresh line, as a shell's prompt does after ^C.
     */
    Event commitEmptyLine() {
        if (e - r >= INPUT_BUF_SIZE) return Event.NONE;
        set(e++, '\n');
        c = w = e;
        return Event.COMMITTED;
    }

    /**
     * Takes up to n bytes of committed input into dst, stopping after a newline or before
     * a ^D (which the next read then sees, and returns 0 for). Returns the count, or -1 if
     * nothing is committed yet.
     */
    int read(byte[] dst, int n) {
        if (r == w) return -1;
        int got = 0;
        while (got < n && r != w) {
            int ch = at(r++);
            if (ch == ctrl('D')) {
                // What came before the ^D now; the ^D stays for the next read: end of file.
                if (got > 0) r--;
                break;
            }
            dst[got++] = (byte) ch;
            if (ch == '\n') break;
        }
        return got;
    }

    // ---- editing --------------------------------------------------------------------------

    private Event escape(int ch, ByteArrayOutputStream echo) {
        if (esc == 1) {
            if (ch == '[') {
                esc = 2;
                escParam = 0;
            } else if (ch == 'O') {
                esc = 3;
            } else {
                esc = 0; // ESC and a key (Alt-key): the key alone
                return input(ch, echo);
            }
            return Event.NONE;
        }
        if (esc == 2 && ch >= '0' && ch <= '9') {
            escParam = Math.min(escParam * 10 + ch - '0', 1000);
            return Event.NONE;
        }
        if (esc == 2 && ch < 0x40) return Event.NONE; // ';' and other parameter bytes
        esc = 0;
        switch (ch) {
            case 'A' -> up(echo);
            case 'B' -> down(echo);
            case 'C' -> right(echo);
            case 'D' -> left(echo);
            case 'H' -> home(echo);
            case 'F' -> toEnd(echo);
            case '~' -> {
                switch (escParam) {
                    case 1, 7 -> home(echo);
                    case 4, 8 -> toEnd(echo);
                    case 3 -> erase(echo);
                    default -> { }
                }
            }
            default -> { } // a key this discipline does not know: ignored, not typed
        }
        return Event.NONE;
    }

    private void left(ByteArrayOutputStream echo) {
        if (c == w) return;
        c--;
        echo.write('\b');
    }

    private void right(ByteArrayOutputStream echo) {
        if (c == e) return;
        echo.write(at(c++));
    }

    private void home(ByteArrayOutputStream echo) {
        while (c != w) left(echo);
    }

    private void toEnd(ByteArrayOutputStream echo) {
        while (c != e) right(echo);
    }

    /** Shows [c, e) again, then blanks and moves back over the cells, leaving the cursor at c. */
    private void redrawTail(ByteArrayOutputStream echo, int blanks) {
        for (long i = c; i < e; i++) echo.write(at(i));
        for (int i = 0; i < blanks; i++) echo.write(' ');
        for (long i = c; i < e + blanks; i++) echo.write('\b');
    }

    /** Inserts ch at the cursor. */
    private void insert(int ch, ByteArrayOutputStream echo) {
        for (long i = e; i > c; i--) set(i, at(i - 1));
        set(c, ch);
        e++;
        echo.write(ch);
        c++;
        redrawTail(echo, 0);
    }

    /** Deletes the byte under the cursor (Delete; backspace is a left, then this). */
    private void erase(ByteArrayOutputStream echo) {
        if (c == e) return;
        for (long i = c; i < e - 1; i++) set(i, at(i + 1));
        e--;
        redrawTail(echo, 1);
    }

    // ---- history --------------------------------------------------------------------------

    /** Keeps the line being committed, unless empty or the same as the last. */
    private void remember() {
        if (e == w) return;
        byte[] line = typed();
        if (lines > 0 && java.util.Arrays.equals(history[(lines - 1) % HISTORY], line)) return;
        history[lines % HISTORY] = line;
        lines++;
    }

    private byte[] typed() {
        byte[] line = new byte[(int) (e - w)];
        for (int i = 0; i < line.length; i++) line[i] = (byte) at(w + i);
        return line;
    }

    private void up(ByteArrayOutputStream echo) {
        if (back == Math.min(lines, HISTORY)) return;
        if (back == 0) draft = typed();
        back++;
        replaceLine(history[(lines - back) % HISTORY], echo);
    }

    private void down(ByteArrayOutputStream echo) {
        if (back == 0) return;
        back--;
        replaceLine(back == 0 ? draft : history[(lines - back) % HISTORY], echo);
    }

    /** The line being typed becomes text (as much of it as there is room for), cursor at its end. */
    private void replaceLine(byte[] text, ByteArrayOutputStream echo) {
        toEnd(echo);
        for (; e != w; e--) echo.writeBytes(new byte[] {'\b', ' ', '\b'});
        for (byte b : text) {
            if (e - r >= INPUT_BUF_SIZE - 1) break; // room for the newline that ends it
            set(e++, b & 0xff);
            echo.write(b);
        }
        c = e;
    }
}
