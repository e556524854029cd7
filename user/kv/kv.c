// kv: a key-value store on its own LibOS (kvlib) and its own disk blocks.
//
//   kv                      commands from the standard input, one a line
//   kv COMMAND ARG...       just that command
//
// Commands: put KEY VALUE, get KEY, del KEY, list, stats, check, format, bench, quit.
// A change is on stable storage when kv has done the command (kvlib/store.c says how, and
// how a crash at any moment loses none of them); the commands of one line, between ';',
// are made durable together (group commit). Keys are 1..27 bytes, values up to 95.
//
// "check" shows the capability wall between the two LibOSes from kv's side: kv's disk
// capability reaches nothing outside kv's range, and no other handle kv holds reaches a
// block at all. "format" makes a new, empty store in kv's blocks. "bench [KEYS]" runs the
// workload of make bench (kvwork.h; 100 keys, or fewer) on keys of its own, which it
// removes again.
#include "kvlib/kvlib.h"

static const char *err(long e) {
    switch (e) {
    case E_BADCAP: return "E_BADCAP";
    case E_TYPE: return "E_TYPE";
    case E_RIGHTS: return "E_RIGHTS";
    case E_RANGE: return "E_RANGE";
    case E_INVAL: return "E_INVAL";
    default: return e >= 0 ? "allowed" : "another error";
    }
}

// kv's side of the wall: file-system blocks (those before kv's range) are out of reach.
static int check(void) {
    int page;
    if (kv_pages(1, &page) == 0) return 1;
    int bad = 0;
    long blocks[] = {1, 2, (long)kv_disk_first() - 1};
    for (int i = 0; i < 3; i++) {
        long r = exo_disk(kv_disk_handle(), blocks[i], page, 0, 0);
        kv_printf(1, "kv: read of file-system block %ld with kv's disk capability: %s\n", blocks[i], err(r));
        bad += r != E_RANGE;
    }
    long r = exo_disk(kv_disk_handle(), (long)kv_disk_first(), page, 0, 0);
    kv_printf(1, "kv: read of kv's own first block: %s\n", err(r));
    bad += r < 0;
    // Every other handle kv holds: none names disk blocks.
    int others = 0;
    for (int h = 0; h < 64; h++) {
        if (h == kv_disk_handle()) continue;
        long r = exo_disk(h, 1, page, 0, 0);
        if (r >= 0 || r == E_RANGE) {
            kv_printf(1, "kv: handle %d reads disk block 1: %s\n", h, err(r));
            bad++;
        }
        others++;
    }
    kv_printf(1, "kv: none of kv's %d other handles reaches the disk\n", others);
    kv_printf(1, bad ? "kv: check FAILED\n" : "kv: check passed\n");
    return bad != 0;
}

static void show(const char *key, const char *val, void *arg) {
    kv_printf(1, "%s=%s\n", key, val);
}

static void stats(void) {
    struct kv_store_stats s;
    kv_store_stats(&s);
    kv_printf(1, "kv: %ld records, %ld bytes of at most %ld; log: %ld of %ld blocks in use;"
                 " this run: %ld blocks cleaned, %ld records moved, %ld reads, %ld writes, %ld flushes\n",
              s.records, s.bytes, s.maxbytes, s.inuse, s.logblocks, s.cleaned, s.moved, kv_disk_stats.reads,
              kv_disk_stats.writes, kv_disk_stats.flushes);
}

// The workload of make bench (kvwork.h) on this store.
static int store_put(const char *key, const char *val) {
    int r = kv_put(key, val);
    kv_commit();
    return r == 0 ? 0 : -1;
}

static int store_get(const char *key, char *val) {
    const char *v = kv_get(key);
    if (v == 0) return 0;
    lo_strlcpy(val, v, KV_VALMAX + 1);
    return 1;
}

static int store_del(const char *key) {
    int r = kv_del(key);
    kv_commit();
    return r;
}

static void add(const char *key, const char *val, void *arg) {
    uint *sum = arg;
    *sum += (uint)(lo_strlen(key) + lo_strlen(val));
}

static long store_scan(uint *sum) {
    return kv_each(add, sum);
}

static void store_say(const char *line) {
    kv_write(1, line, (int)lo_strlen(line));
}

#include "kvwork.h"

// width puts, then one commit for them all.
static int store_put_group(int first, int n, int width, int v) {
    char key[16], val[KVW_VALLEN + 1];
    int bad = 0;
    for (int i = first; i < first + n; i++) {
        kvw_key(key, i);
        kvw_val(val, i, v);
        bad |= kv_put(key, val) != 0;
        if ((i - first) % width == width - 1 || i == first + n - 1) kv_commit();
    }
    return bad ? -1 : 0;
}

static char value[KV_VALMAX + 2];

#define USAGE "put KEY VALUE | get KEY | del KEY | list | stats | check | format | bench [KEYS] | quit"

// Runs one command; a change it makes is durable at the caller's kv_commit.
static int run(int argc, char **argv) {
    if (argc == 0) return 0;
    const char *cmd = argv[0];
    if (lo_strcmp(cmd, "put") == 0 && argc >= 3) {
        // The value is the rest of the words, as typed: "kv put k hello world".
        int n = 0;
        for (int i = 2; i < argc; i++) {
            for (const char *s = argv[i]; *s && n < KV_VALMAX + 1; s++) value[n++] = *s;
            if (i + 1 < argc && n < KV_VALMAX + 1) value[n++] = ' ';
        }
        value[n] = 0;
        int r = kv_put(argv[1], value);
        if (r == -1) kv_printf(2, "kv: keys are 1..%d bytes, values up to %d\n", KV_KEYMAX, KV_VALMAX);
        if (r == -2) kv_printf(2, "kv: the store is full\n");
        return r != 0;
    }
    if (lo_strcmp(cmd, "get") == 0 && argc == 2) {
        const char *v = kv_get(argv[1]);
        if (v) kv_printf(1, "%s\n", v);
        else kv_printf(1, "%s: not found\n", argv[1]);
        return v == 0;
    }
    if (lo_strcmp(cmd, "del") == 0 && argc == 2) {
        int r = kv_del(argv[1]);
        if (r == 0) kv_printf(1, "%s: not found\n", argv[1]);
        return r == 0;
    }
    if (lo_strcmp(cmd, "list") == 0 && argc == 1) {
        kv_each(show, 0);
        return 0;
    }
    if (lo_strcmp(cmd, "stats") == 0 && argc == 1) {
        stats();
        return 0;
    }
    if (lo_strcmp(cmd, "check") == 0 && argc == 1) return check();
    if (lo_strcmp(cmd, "bench") == 0 && argc <= 2) {
        int keys = 0;
        for (const char *d = argc == 2 ? argv[1] : ""; *d >= '0' && *d <= '9' && keys < 1000; d++) keys = keys * 10 + *d - '0';
        return kvw_run(keys);
    }
    if (lo_strcmp(cmd, "help") == 0 && argc == 1) {
        kv_printf(1, "usage: %s\n", USAGE);
        return 0;
    }
    // Say what was wrong with this command, then what would have been right.
    static const char *const known[] = {"put", "get", "del", "list", "stats", "check", "bench"};
    const char *why = "no such command";
    for (int i = 0; i < (int)(sizeof known / sizeof known[0]); i++)
        if (lo_strcmp(cmd, known[i]) == 0) why = "wrong number of words";
    if (lo_strcmp(cmd, "format") == 0) why = "only as 'kv format', from the shell";
    if (lo_strcmp(cmd, "quit") == 0) why = "only at the kv> prompt";
    kv_printf(2, "kv: %s: %s; usage: %s\n", cmd, why, USAGE);
    return 1;
}

// Splits line into at most 4 words (put's value takes the rest: values may hold spaces).
static int words(char *line, char **w) {
    int n = 0;
    char *p = line;
    while (n < 4) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == 0 || *p == '\n') break;
        w[n++] = p;
        if (n == 3 && lo_strcmp(w[0], "put") == 0) {
            while (*p && *p != '\n') p++;
            while (p > w[2] && (p[-1] == ' ' || p[-1] == '\t')) p--;
            *p = 0;
            break;
        }
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
        if (*p == 0) break;
        *p++ = 0;
    }
    return n;
}

static char line[256];

int main(int argc, char **argv) {
    int format = argc == 2 && lo_strcmp(argv[1], "format") == 0;
    if (kv_open(format) < 0) return 1;
    if (format) return 0;
    if (argc > 1) {
        int status = run(argc - 1, argv + 1);
        kv_commit();
        return status;
    }
    kv_printf(1, "kv: one command a line (or several, between ';', committed together): put KEY VALUE,"
                 " get KEY, del KEY, list, stats, check, bench [KEYS]; quit (or ^D) to leave;"
                 " 'kv format', at the shell, makes the store new and empty\n");
    for (;;) {
        kv_printf(1, "kv> ");
        int n = 0;
        char c;
        while (n + 1 < (int)sizeof line && kv_read(0, &c, 1) == 1) {
            line[n++] = c;
            if (c == '\n') break;
        }
        line[n] = 0;
        if (n == 0) {           // end of input (^D): the shell's prompt on a line of its own
            kv_printf(1, "\n");
            break;
        }
        // Group commit: the commands of a line are made durable together, with one flush.
        int quit = 0;
        for (char *cmd = line, *end; cmd && !quit; cmd = end) {
            for (end = cmd; *end && *end != ';'; end++) {}
            end = *end ? (*end = 0, end + 1) : 0;
            char *w[4];
            int nw = words(cmd, w);
            quit = nw == 1 && lo_strcmp(w[0], "quit") == 0;
            if (!quit) run(nw, w);
        }
        kv_commit();
        if (quit) break;
    }
    return 0;
}
