package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            // Selecting a block shows the file it belongs to; selecting a page, who maps it where.
            b.eval("select({kind: 'block', block: ix.fileOf.findIndex((f, i) => f && ix.files.get(f).path === '/README')})");
            b.waitFor("$('detail-body').textContent", v -> String.valueOf(v).contains("/README, inode"), WAIT);
            b.eval("select({kind: 'page', page: " + shPage + "})");
            b.waitFor("$('detail-body').textContent", v -> String.valueOf(v).contains("pid 2 (sh) maps it at 0x0"), WAIT);
            screenshot(b, "view-xv6.png");
        }
    }

    /**
     * revokedemo on kernel-exo: a pipe's page shared by a process and its child, each
     * through a capability derived from one the file server made for it alone. The tree
     * and the map show the grants, and each revocation as it happens.
     */
    @Test
    void exoDerivationTreeAndPageMapFollowGrantsAndRevocations() throws Exception {
        try (Session s = Session.exo(dir); Browser b = new Browser(chromium, dir, 1800, 1100)) {
            b.open(s.uri());
            b.waitFor("document.querySelectorAll('#envs g.row').length", v -> v instanceof Long n && n >= 3, WAIT);
            b.waitFor("document.querySelectorAll('#derivation g.row').length", v -> v instanceof Long n && n > 0, WAIT);

            s.type("revokedemo\n");
            s.waitFor("the child closes its ends");
            // The pipe's page: the one page both revokedemo environments map through a
            // capability the file server derived for them (each has IPC pages of its own).
            String pipe = "(() => { const demo = snap.exo.envs.filter(e => e.name === 'revokedemo').map(e => e.id);"
                    + " if (demo.length !== 2) return null;"
                    + " const caps = snap.exo.caps.filter(c => demo.includes(c.env) && c.type === 'page' && c.mappings.length && c.parent && !demo.includes(c.parent[0]));"
                    + " const c0 = caps.filter(c => c.env === demo[0]), c1 = caps.filter(c => c.env === demo[1]);"
                    + " const p = c0.find(c => c1.some(d => d.first === c.first));"
                    + " return p ? {page: p.first - ix.basePpn, parent: demo[0], child: demo[1],"
                    + " keys: caps.filter(c => c.first === p.first).map(c => c.env + '.' + c.handle)} : null; })()";
            @SuppressWarnings("unchecked")
            Map<String, Object> shared = (Map<String, Object>) b.waitFor(pipe, v -> v != null, WAIT);
            long page = (Long) shared.get("page");
            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) shared.get("keys");
            assertEquals(2, keys.size(), "a capability for the pipe's page in each: " + keys);
            // Each capability is drawn in the derivation tree, its mapping hanging from it,
            // under the file server's, and the page is drawn shared.
            for (String key : keys) {
                assertEquals(Boolean.TRUE, b.eval("!!document.querySelector('#derivation g[data-cap=\"" + key + "\"]')"), key);
                assertEquals(Boolean.TRUE, b.eval("document.querySelector('#derivation g[data-cap=\"" + key + "\"]').textContent.includes('\u21a6')"), key);
            }
            assertEquals("shared", b.eval("snap.memory.owners[ix.pages[" + page + "]].kind"));
            assertPixel(b, page);
            b.eval("select({kind: 'cap', key: '" + keys.get(1) + "'})");
            b.waitFor("$('detail-body').textContent", v -> String.valueOf(v).contains("Derived from (up to the root)"), WAIT);
            screenshot(b, "view-exo.png");

            // Enter: the child closes its ends and exits; the server revokes its branch.
            String childKey = keys.stream().filter(k -> k.startsWith(shared.get("child") + ".")).findFirst().orElseThrow();
            s.type("\n");
            b.waitFor("!document.querySelector('#derivation g[data-cap=\"" + childKey + "\"]')", Boolean.TRUE::equals, WAIT);
            b.waitFor("[...document.querySelectorAll('#events li.revoke')].some(li => li.textContent.includes('env " + shared.get("child") + " h'))",
                    Boolean.TRUE::equals, WAIT);
            assertPixel(b, page);

            // Enter again: the parent closes the pipe; the server revokes the last branch and frees the page.
            s.type("\n");
            s.waitFor("revokedemo: done");
            b.waitFor("snap.memory.owners[ix.pages[" + page + "]].kind", "free"::equals, WAIT);
            b.waitFor("document.querySelectorAll('#derivation g[data-cap^=\"" + shared.get("parent") + ".\"]').length", Long.valueOf(0)::equals, WAIT);
            assertPixel(b, page);
        }
    }

    /** Page i is drawn on the memory map in the colour of its owner in the snapshot the page shows. */
    @SuppressWarnings("unchecked")
    static void assertPixel(Browser b, long page) throws Exception {
        List<Object> px = (List<Object>) b.eval(pixelAndOwner("memory", Long.toString(page)));
        assertEquals(px.get(1), px.get(0), "page " + page + " drawn in its owner's colour");
    }

    static void screenshot(Browser b, String name) throws Exception {
        String to = System.getProperty("xv6j.view.screenshots");
        if (to == null) return;
        Files.createDirectories(Path.of(to));
        Files.write(Path.of(to, name), b.screenshot());
    }
}
