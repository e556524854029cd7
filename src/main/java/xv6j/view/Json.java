package xv6j.view;

/**
 * A small JSON writer: the snapshot is built straight into text, value by value, with no
 * library and no reflection. Commas are placed for the caller: open an object or array,
 * write members or elements, close it.
 *
 * <pre>
 *   Json j = new Json();
 *   j.beginObject().name("pid").value(3).name("name").value("sh").endObject();
 *   j.toString(); // {"pid":3,"name":"sh"}
 * </pre>
 */
final class Json {
    private final StringBuilder sb = new StringBuilder(1 << 14);
    /** True right after a value at the current level: the next one needs a comma. */
    private boolean needComma;

    Json beginObject() {
        comma();
        sb.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        comma();
        sb.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** A member's name; its value comes next. */
    Json name(String name) {
        comma();
        string(name);
        sb.append(':');
        needComma = false;
        return this;
    }

    Json value(String s) {
        comma();
        if (s == null) sb.append("null");
        else string(s);
        needComma = true;
        return this;
    }

    /** A whole number. JavaScript reads numbers up to 2^53 exactly: addresses and counts here stay far below. */
    Json value(long n) {
        comma();
        sb.append(n);
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        comma();
        sb.append(b);
        needComma = true;
        return this;
    }

    Json nullValue() {
        comma();
        sb.append("null");
        needComma = true;
        return this;
    }

    /** A value already written as JSON (a part made earlier and kept). */
    Json raw(String json) {
        comma();
        sb.append(json);
        needComma = true;
        return this;
    }

    /** name, then value: the common case. */
    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    Json field(String name, boolean v) {
        return name(name).value(v);
    }

    /**
     * An int per element, run-length encoded as [value, count, value, count, ...]: maps of
     * pages and blocks are long runs of the same owner.
     */
    Json runs(int[] v) {
        beginArray();
        for (int i = 0; i < v.length; ) {
            int start = i;
            while (i < v.length && v[i] == v[start]) i++;
            value(v[start]).value(i - start);
        }
        return endArray();
    }

    private void comma() {
        if (needComma) sb.append(',');
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // Control characters, and the two line separators some parsers of
                    // JavaScript source mistake for ends of lines.
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
