// The key-value workload that make bench runs three ways (xv6j.bench.KvBench): kv on its
// own LibOS, and kvfile, the same store on xv6's files, on the standard LibOS and on the
// xv6 kernel. One source, so that the three do the same operations in the same order.
//
// The program that includes it defines (every change durable when the call returns):
//
//   static int store_put(const char *key, const char *val);    0, or -1 (full, failed)
//   static int store_get(const char *key, char *val);          1 and the value in val, 0 if absent, -1 failed
//   static int store_del(const char *key);                     1 deleted, 0 absent, -1 failed
//   static long store_scan(uint *sum);                         records read, -1 failed; adds their bytes to *sum
//   static int store_put_group(int first, int n, int width, int v);
//                                                              puts version v of keys first..first+n-1, width
//                                                              of them in flight at a time, committed together
//                                                              where the store can; 0 or -1
//   static void store_say(const char *line);                   writes line to the standard output
//
// and calls kvw_run(keys): KVW_KEYS for make bench, fewer for a quick run (tests); the
// other counts follow in proportion. It prints a line before and after each phase,
//
//   kvbench begin NAME
//   kvbench end NAME OPS
//
// (a phase may be begun and ended more than once: its turns add up). It times nothing
// itself (it reads the clock only to decide when a phase has repeated enough): make bench
// times those lines as they reach the console and counts the disk's writes and forces
// between them, in the same way for the three. A wrong answer from the store is reported
// ("kvbench: ...", which make bench shows) and the run ends without its last line,
// "kvbench done".
// The workload's keys begin with "bench" and "absent"; it removes its keys before and after.

static int store_put(const char *key, const char *val);
static int store_get(const char *key, char *val);
static int store_del(const char *key);
static long store_scan(uint *sum);
static int store_put_group(int first, int n, int width, int v);
static void store_say(const char *line);

// The counts, for keys keys (KVW_KEYS at most, xv6's file system having 200 inodes);
// xv6j.bench.KvBench.PHASES has them too, for 100 keys, and KvBenchTest checks they agree.
#define KVW_KEYS 100        // keys put, then deleted
#define KVW_UPDATES 3       // updates of each key, at least
#define KVW_GETS 20         // reads a key, of present keys, and of absent ones, at least
#define KVW_SCANS 2         // keys a scan of every record, at least
#define KVW_MIXED 10        // operations of the mixed run, a key, at least
#define KVW_ROUNDS 4        // puts of each key in the group-commit phase (new, then updates), at least
#define KVW_WIDTH 8         // puts in flight at a time there
// With KVW_KEYS keys (make bench's run), a phase that may repeat (updates, reads, scans,
// the mixed run, group puts; new puts and deletes, in turns) repeats until it has also lasted this long by the time CSR
// (10 MHz on both kernels): the fastest store's phases are then long enough to time.
#define KVW_MIN_TICKS 2000000
#define KVW_VALLEN 32

// "bench0042": key i. (At most 14 bytes, so it is also a file name on xv6.)
static void kvw_key(char *buf, int i) {
    const char *p = "bench";
    int n = 0;
    while (*p) buf[n++] = *p++;
    buf[n++] = (char)('0' + i / 1000 % 10);
    buf[n++] = (char)('0' + i / 100 % 10);
    buf[n++] = (char)('0' + i / 10 % 10);
    buf[n++] = (char)('0' + i % 10);
    buf[n] = 0;
}

// Version v of key i's value: KVW_VALLEN bytes that name both.
static void kvw_val(char *buf, int i, int v) {
    kvw_key(buf, i);
    buf[0] = 'v';
    buf[5] = (char)('a' + v % 26);
    for (int n = 9; n < KVW_VALLEN; n++) buf[n] = (char)('a' + (i + n) % 26);
    buf[KVW_VALLEN] = 0;
}

static void kvw_absent(char *buf, int i) {
    kvw_key(buf, i);
    const char *p = "absent";
    char digits[5];
    for (int n = 0; n < 5; n++) digits[n] = buf[5 + n];
    int n = 0;
    while (*p) buf[n++] = *p++;
    for (int d = 0; d < 5; d++) buf[n++] = digits[d];
}

static int kvw_streq(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

// Says "PREFIX A B N" (B and N when there are: B not empty, N not negative).
static void kvw_say(const char *prefix, const char *a, const char *b, long n) {
    char buf[96];
    int len = 0;
    while (*prefix) buf[len++] = *prefix++;
    while (*a && len < 60) buf[len++] = *a++;
    if (*b) buf[len++] = ' ';
    while (*b && len < 80) buf[len++] = *b++;
    if (n >= 0) {
        char d[20];
        int k = 0;
        do d[k++] = (char)('0' + n % 10); while ((n /= 10) > 0);
        buf[len++] = ' ';
        while (k > 0) buf[len++] = d[--k];
    }
    buf[len++] = '\n';
    buf[len] = 0;
    store_say(buf);
}

static void kvw_line(const char *what, const char *phase, long n) {
    kvw_say("kvbench ", what, phase, n);
}

static int kvw_failed;

// Reports the first wrong answer; the run goes on, and ends without "kvbench done".
static void kvw_fail(const char *what, const char *key) {
    if (kvw_failed++ == 0) kvw_say("kvbench: ", what, key, -1);
}

// The workload's own generator (a 64-bit LCG, Knuth's MMIX constants): the same sequence
// on every store.
static uint64 kvw_state = 1;

static int kvw_pick(int n) {
    kvw_state = kvw_state * 6364136223846793005UL + 1442695040888963407UL;
    return (int)((kvw_state >> 33) % (uint64)n);
}

// What the store must hold for key i: its version, or -1 for none.
static int kvw_expect[3 * KVW_KEYS];

static void kvw_check_get(int i) {
    char key[16], want[KVW_VALLEN + 1], got[128];
    kvw_key(key, i);
    int r = store_get(key, got);
    if (kvw_expect[i] < 0) {
        if (r != 0) kvw_fail("get found a deleted key:", key);
        return;
    }
    kvw_val(want, i, kvw_expect[i]);
    if (r != 1 || !kvw_streq(got, want)) kvw_fail("get gave the wrong value for", key);
}

static void kvw_put(int i, int v) {
    char key[16], val[KVW_VALLEN + 1];
    kvw_key(key, i);
    kvw_val(val, i, v);
    if (store_put(key, val) != 0) kvw_fail("put failed:", key);
    kvw_expect[i] = v;
}

static void kvw_del(int i) {
    char key[16];
    kvw_key(key, i);
    int r = store_del(key);
    if (r != (kvw_expect[i] >= 0)) kvw_fail(r < 0 ? "del failed:" : "del disagrees on", key);
    kvw_expect[i] = -1;
}

// Removes every key the workload uses, untimed.
static void kvw_clean(void) {
    char key[16];
    for (int i = 0; i < 3 * KVW_KEYS; i++) {
        kvw_key(key, i);
        if (store_del(key) < 0) kvw_fail("del failed:", key);
        kvw_expect[i] = -1;
    }
}

static int kvw_timed;       // phases repeat until KVW_MIN_TICKS have passed

static uint64 kvw_now(void) {
    uint64 t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

// Whether a phase begun at t0 that has run rounds rounds runs another: until it has run
// min, and lasted KVW_MIN_TICKS when timed.
static int kvw_again(int rounds, int min, uint64 t0) {
    return rounds < min || (kvw_timed && kvw_now() - t0 < KVW_MIN_TICKS);
}

static int kvw_run(int keys) {
    if (keys < 1 || keys > KVW_KEYS) keys = KVW_KEYS;
    kvw_timed = keys == KVW_KEYS;
    kvw_clean();
    uint sum = 0;
    long others = store_scan(&sum);     // records of the store's own
    uint64 t0;
    int r;
    // New keys. When timed, they are deleted and put again in turns until the two have
    // lasted twice KVW_MIN_TICKS, each turn a phase of its own (make bench adds a phase's
    // turns up): a store that makes a change durable in a flush or two is otherwise done
    // with 100 of them too soon to time. The last turn leaves every key present.
    for (r = 0, t0 = kvw_now(); r == 0 || (kvw_timed && kvw_now() - t0 < 2 * KVW_MIN_TICKS); r++) {
        if (r > 0) {
            kvw_line("begin", "del", -1);
            for (int i = 0; i < keys; i++) kvw_del(i);
            kvw_line("end", "del", keys);
        }
        kvw_line("begin", "put", -1);
        for (int i = 0; i < keys; i++) kvw_put(i, 0);
        kvw_line("end", "put", keys);
    }

    kvw_line("begin", "update", -1);
    for (r = 0, t0 = kvw_now(); kvw_again(r, KVW_UPDATES, t0); r++) {
        for (int i = 0; i < keys; i++) kvw_put(i, 1 + r);
    }
    kvw_line("end", "update", (long)r * keys);

    kvw_line("begin", "get", -1);
    for (r = 0, t0 = kvw_now(); kvw_again(r, KVW_GETS, t0); r++) {
        for (int n = 0; n < keys; n++) kvw_check_get((r + n * 37) % keys);
    }
    kvw_line("end", "get", (long)r * keys);

    kvw_line("begin", "get_absent", -1);
    for (r = 0, t0 = kvw_now(); kvw_again(r, KVW_GETS, t0); r++) {
        for (int n = 0; n < keys; n++) {
            char key[16], got[128];
            kvw_absent(key, (r + n * 37) % keys);
            if (store_get(key, got) != 0) kvw_fail("get found a key never put:", key);
        }
    }
    kvw_line("end", "get_absent", (long)r * keys);

    kvw_line("begin", "scan", -1);
    int scans = (keys + KVW_SCANS - 1) / KVW_SCANS;
    for (r = 0, t0 = kvw_now(); kvw_again(r, scans, t0); r++) {
        if (store_scan(&sum) != others + keys) kvw_fail("scan did not find every record", "");
    }
    kvw_line("end", "scan", r);

    kvw_line("begin", "del", -1);
    for (int i = 0; i < keys; i++) kvw_del(i);
    kvw_line("end", "del", keys);

    // From the empty store: half reads, three in ten puts (new keys and updates), two in
    // ten deletes.
    kvw_line("begin", "mixed", -1);
    for (r = 0, t0 = kvw_now(); kvw_again(r, KVW_MIXED, t0); r++) {
        for (int n = 0; n < keys; n++) {
            int i = kvw_pick(keys), what = kvw_pick(10);
            if (what < 5) kvw_check_get(i);
            else if (what < 8) kvw_put(i, 4 + n % 20);
            else kvw_del(i);
        }
    }
    kvw_line("end", "mixed", (long)r * keys);
    for (int i = 0; i < keys; i++) kvw_check_get(i);

    // New keys again, on an emptied store (xv6's file system has 200 inodes in all), then
    // updates of them.
    kvw_clean();
    kvw_line("begin", "put_group", -1);
    for (r = 0, t0 = kvw_now(); kvw_again(r, KVW_ROUNDS, t0); r++) {
        if (store_put_group(2 * KVW_KEYS, keys, KVW_WIDTH, r) != 0) kvw_fail("group put failed", "");
    }
    kvw_line("end", "put_group", (long)r * keys);
    for (int i = 2 * KVW_KEYS; i < 2 * KVW_KEYS + keys; i++) {
        kvw_expect[i] = r - 1;
        kvw_check_get(i);
    }

    kvw_clean();
    if (kvw_failed) return 1;
    kvw_line("done", "", -1);
    return 0;
}
