package xv6j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code between a benchmark's console and target/bench.json, on tiny inputs. */
class BenchReportTest {
    @TempDir
    Path dir;

    private static final String CONSOLE = """
            init: starting sh
            $ sysbench -n 2
            sysbench getpid 2 ns/op 812
            sysbench file_read 2 ns/op 28047
            $\s""";

    @Test
    void sysbenchLinesBecomeFiguresInBenchJsonWithNameValueUnitAndCommand() throws Exception {
        Map<String, BenchLines.Measurement> ms = BenchLines.parse(CONSOLE, "sysbench", List.of("getpid", "file_read"));
        assertEquals(new BenchLines.Measurement("getpid", 2, "ns/op", 812), ms.get("getpid"));
        List<Figure> figures = new ArrayList<>();
        for (BenchLines.Measurement m : ms.values())
            figures.add(new Figure("kernel." + m.name(), m.value(), m.unit(), "make bench: kernel $ sysbench"));
        figures.add(new Figure("cpu.mips", 185.25, "MIPS", "cpu \"4\"\\x"));
        figures.add(new Figure("kernel.boot", Sample.of(List.of(70.0, 68.5, 90.25)), "ms", "boot"));
        Host host = new Host(2, "a JVM", "an OS", 1.5, "2026-01-02T03:04:05Z");
        Path json = dir.resolve("sub").resolve("bench.json");

        BenchJson.write(json, "make bench", host, figures);

        assertEquals("""
                {
                  "command": "make bench",
                  "date": "2026-01-02T03:04:05Z",
                  "host": {"cores": 2, "java": "a JVM", "os": "an OS", "load_average": 1.5},
                  "figures": [
                    {"name": "kernel.getpid", "value": 812, "unit": "ns/op", "command": "make bench: kernel $ sysbench"},
                    {"name": "kernel.file_read", "value": 28047, "unit": "ns/op", "command": "make bench: kernel $ sysbench"},
                    {"name": "cpu.mips", "value": 185.25, "unit": "MIPS", "command": "cpu \\"4\\"\\\\x"},
                    {"name": "kernel.boot", "value": 70, "unit": "ms", "command": "boot", "runs": 3, "min": 68.5, "max": 90.25}
                  ]
                }
                """, Files.readString(json));
    }

    @Test
    void aFigureSysbenchDidNotPrintIsNamedWithTheEndOfTheConsole() {
        BenchException e = assertThrows(BenchException.class,
                () -> BenchLines.parse(CONSOLE, "sysbench", List.of("getpid", "pipe_roundtrip")));
        assertTrue(e.getMessage().startsWith("sysbench did not print pipe_roundtrip; the console ended with:"), e.getMessage());
        assertTrue(e.getMessage().contains("sysbench file_read 2 ns/op 28047"), e.getMessage());
    }

    @Test
    void aFailureReportedByTheProgramBecomesTheError() {
        String console = CONSOLE + "sysbench\nsysbench: fork failed\n$ ";
        BenchException e = assertThrows(BenchException.class, () -> BenchLines.parse(console, "sysbench"));
        assertEquals("sysbench: fork failed", e.getMessage());
    }

    @Test
    void aGarbledLineIsRejectedNotSkipped() {
        BenchException e = assertThrows(BenchException.class, () -> BenchLines.parse("sysbench getpid many ns/op 3\n", "sysbench"));
        assertEquals("unreadable line from sysbench: sysbench getpid many ns/op 3", e.getMessage());
    }

    @Test
    void anotherProgramsLinesAreReadUnderItsOwnName() throws Exception {
        String console = "$ exobench\nexobench upcall 1000 ns/op 95.5\nsysbench getpid 2 ns/op 812\n";
        assertEquals(List.of(new BenchLines.Measurement("upcall", 1000, "ns/op", 95.5)), BenchLines.parse(console, "exobench"));
    }

    @Test
    void jsonNumbersKeepFourDecimalsAndDropTrailingZeros() {
        assertEquals("3", BenchJson.number(3.0));
        assertEquals("0.097", BenchJson.number(0.0970));
        assertEquals("142.2923", BenchJson.number(142.29231));
        assertEquals("-1.5", BenchJson.number(-1.5));
        assertEquals("null", BenchJson.number(Double.NaN));
        assertEquals("\"tab\\there \\u0001\"", BenchJson.string("tab\there \u0001"));
    }

    @Test
    void aFigureNeedsADottedLowercaseNameAUnitAndAFiniteValue() {
        assertThrows(IllegalArgumentException.class, () -> new Figure("Kernel.getpid", 1, "ns/op", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Figure("kernel.getpid", 1, " ", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Figure("kernel.getpid", Double.POSITIVE_INFINITY, "ns/op", "c"));
    }

    @Test
    void promptsAreTimedOnlyAtTheStartOfALine() {
        ConsoleCapture c = new ConsoleCapture(System.nanoTime());
        byte[] text = "init: starting sh\n$ echo $ x\n$ ".getBytes();
        c.write(text, 0, text.length);
        assertEquals(2, c.prompts().size());
        assertTrue(c.prompts().get(0) <= c.prompts().get(1));
        assertEquals("init: starting sh\n$ echo $ x\n$ ", c.text());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void aFigureShowsTheSpreadOfItsRunsAndIsMarkedWhenTooWideToTrust() {
        Sample steady = Sample.of(List.of(100.0, 104.0, 96.0, 101.0, 99.0));
        assertEquals(0.04, steady.spread(), 1e-9);
        assertEquals("100.0 ms ±4%", Bench.show(new Figure("kernel.boot", steady, "ms", "c")));
        Sample noisy = Sample.of(List.of(100.0, 180.0, 90.0));
        assertEquals("100.0 ms ±45%*", Bench.show(new Figure("kernel.boot", noisy, "ms", "c")));
        assertEquals("812 ns", Bench.show(new Figure("kernel.getpid", 812, "ns/op", "c")), "one run: no spread");
        // A ratio spans the most and least favourable pairs of runs, and is marked if they spread too far.
        Sample r = steady.over(Sample.of(List.of(50.0, 50.0, 50.0)));
        assertEquals(2.0, r.median(), 1e-9);
        assertEquals("2.00", Bench.ratio(r));
        assertEquals("0.50*", Bench.ratio(Sample.of(List.of(50.0, 50.0)).over(noisy)));
        // Seconds to MIPS: the slowest run is the fewest MIPS.
        Sample mips = Sample.of(List.of(1.0, 2.0, 4.0)).inverse(100);
        assertEquals(50.0, mips.median());
        assertEquals(25.0, mips.min());
        assertEquals(100.0, mips.max());
    }

    @Test
    void durationsAreShownInTheUnitThatSuitsThem() {
        assertEquals("812 ns", Table.nanos(812));
        assertEquals("62.7 µs", Table.nanos(62_673));
        assertEquals("2.18 ms", Table.nanos(2_175_608));
        assertEquals("7.6 s", Table.nanos(7.56e9));
    }
}
