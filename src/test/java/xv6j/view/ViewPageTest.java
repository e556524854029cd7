package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view's page in a real browser (headless Chromium), against a booted machine: what
 * it draws is what the snapshot says, and it changes as the machine does.
 *
 * <p>With -Dxv6j.view.screenshots=DIR each test leaves a screenshot of the page there (the
 * README's picture is made so).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ViewPageTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBrowser() {
        Optional<Path> p = Browser.find();
        assumeTrue(p.isPresent(), "no headless browser (Debian's chromium) on the PATH: the page tests are skipped (.ci/run installs it)");
        chromium = p.get();
    }

    /** The RGB of page i's cell on the memory map, and the RGB its owner's colour should be. */
    static String pixelAndOwner(String canvas, String index) {
        return "(() => { const c = $('" + canvas + "'), g = c.geom, i = " + index + ";"
                + " const d = c.getContext('2d').getImageData((i % g.cols) * g.cell, Math.floor(i / g.cols) * g.cell, 1, 1).data;"
                + " return [[d[0], d[1], d[2]], rgb(ownerColour(snap.memory.owners[ix.pages[i]]))]; })()";
    }

    @Test
    void xv6ProcessesAndTheirPagesAreDrawn() throws Exception {
        try (Session s = Session.xv6(dir); Browser b = new Browser(chromium, dir, 1400, 1000)) {
            b.open(s.uri());
            b.waitFor("document.querySelectorAll('#procs tbody tr').length", v -> Long.valueOf(2).equals(v), WAIT);
            assertEquals(List.of("1", "init", "2", "sh"), b.eval("[...document.querySelectorAll('#procs tbody tr')]"
                    + ".flatMap(r => [r.cells[0].textContent.trim(), r.cells[1].textContent])"));
            // sh's first page is drawn in sh's colour, and sh's colour is not free's.
            String shPage = "(snap.xv6.procs[1].memory[0][1] - snap.memory.base) / 4096";
            @SuppressWarnings("unchecked")
            List<Object> px = (List<Object>) b.eval(pixelAndOwner("memory", shPage));
            assertEquals(px.get(1), px.get(0));
            assertEquals("user", b.eval("snap.memory.owners[ix.pages[" + shPage + "]].kind"));

            // A command shows up: in the system-call counts and on the console.
            s.command("echo drawn");
            b.waitFor("$('console').textContent.includes('drawn')", Boolean.TRUE::equals, WAIT);
            b.waitFor("[...document.querySelectorAll('#syscalls span')].some(e => e.textContent === 'exec')", Boolean.TRUE::equals, WAIT);
            screenshot(b, "view-xv6.png");
        }
    }

    static void screenshot(Browser b, String name) throws Exception {
        String to = System.getProperty("xv6j.view.screenshots");
        if (to == null) return;
        Files.createDirectories(Path.of(to));
        Files.write(Path.of(to, name), b.screenshot());
    }
}
