// kv: a key-value store on its own LibOS (kvlib) and its own disk blocks.
//
//   kv                      commands from the standard input, one a line
//   kv COMMAND ARG...       just that command
//
// Commands: put KEY VALUE, get KEY, del KEY, list, sync, stats, check, quit. Changes are
// written back when kv exits (or at sync); until then they live in kvlib's cache.
//
// The store: block 0 of kv's range is a header; the records follow, eight 128-byte slots
// to a block, in an open-addressing hash table (FNV-1a, linear probing). A deleted
// record leaves a tombstone, so the probe sequences of others stay whole.
//
// "check" shows the capability wall between the two LibOSes from kv's side: kv's disk
// capability reaches nothing outside kv's range, and no other handle kv holds reaches a
// block at all.
#include "kvlib/kvlib.h"

#define MAGIC 0x3153564bU       // "KVS1"
#define SLOTSZ 128
#define SLOTS_PER_BLOCK (1024 / SLOTSZ)
#define KEYMAX 27
#define VALMAX 95

struct header {
    uint magic;
    uint nslots;
    uint live;
};

struct slot {
    uchar state;                // 0 empty, 1 live, 2 deleted
    uchar klen;
    uchar vlen;
    uchar pad;
    char key[KEYMAX + 1];
    char val[VALMAX + 1];
};

_Static_assert(sizeof(struct slot) == SLOTSZ, "a slot is 128 bytes");

static uint nslots;

static struct header *header(int write) {
    return (struct header *)kv_block(0, write);
}

static struct slot *slot(uint i, int write) {
    return (struct slot *)kv_block(1 + i / SLOTS_PER_BLOCK, write) + i % SLOTS_PER_BLOCK;
}

static uint hash(const char *k) {
    uint h = 2166136261U;
    for (; *k; k++) h = (h ^ (uchar)*k) * 16777619U;
    return h;
}

static void format(void) {
    struct header *h = header(1);
    h->magic = MAGIC;
    h->nslots = (uint)(kv_nblocks() - 1) * SLOTS_PER_BLOCK;
    h->live = 0;
    for (long b = 1; b < kv_nblocks(); b++) lo_memset(kv_block(b, 1), 0, 1024);
}

// The slot holding key, or (if absent) -1 with *free the first slot it could go in.
static long find(const char *key, long *free) {
    uint i = hash(key) % nslots;
    *free = -1;
    for (uint n = 0; n < nslots; n++, i = (i + 1) % nslots) {
        struct slot *s = slot(i, 0);
        if (s->state == 0) {
            if (*free < 0) *free = i;
            return -1;
        }
        if (s->state == 2) {
            if (*free < 0) *free = i;
        } else if (lo_strcmp(s->key, key) == 0) {
            return i;
        }
    }
    return -1;
}

static int put(const char *key, const char *val) {
    if (lo_strlen(key) == 0 || lo_strlen(key) > KEYMAX || lo_strlen(val) > VALMAX) {
        kv_printf(2, "kv: keys are 1..%d bytes, values up to %d\n", KEYMAX, VALMAX);
        return 1;
    }
    long free;
    long i = find(key, &free);
    if (i < 0) {
        if (free < 0) {
            kv_printf(2, "kv: the store is full\n");
            return 1;
        }
        i = free;
        header(1)->live++;
    }
    struct slot *s = slot((uint)i, 1);
    s->state = 1;
    s->klen = (uchar)lo_strlen(key);
    s->vlen = (uchar)lo_strlen(val);
    lo_strlcpy(s->key, key, sizeof s->key);
    lo_strlcpy(s->val, val, sizeof s->val);
    return 0;
}

static int get(const char *key) {
    long free;
    long i = find(key, &free);
    if (i < 0) {
        kv_printf(1, "%s: not found\n", key);
        return 1;
    }
    kv_printf(1, "%s\n", slot((uint)i, 0)->val);
    return 0;
}

static int del(const char *key) {
    long free;
    long i = find(key, &free);
    if (i < 0) {
        kv_printf(1, "%s: not found\n", key);
        return 1;
    }
    slot((uint)i, 1)->state = 2;
    header(1)->live--;
    return 0;
}

static void list(void) {
    for (uint i = 0; i < nslots; i++) {
        struct slot *s = slot(i, 0);
        if (s->state == 1) kv_printf(1, "%s=%s\n", s->key, s->val);
    }
}

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

// The workload of make bench (kvwork.h), on this store: durable means written back.
static int store_put(const char *key, const char *val) {
    int r = put(key, val);
    kv_sync();
    return r == 0 ? 0 : -1;
}

static int store_get(const char *key, char *val) {
    long free;
    long i = find(key, &free);
    if (i < 0) return 0;
    lo_strlcpy(val, slot((uint)i, 0)->val, VALMAX + 1);
    return 1;
}

static int store_del(const char *key) {
    long free;
    long i = find(key, &free);
    if (i < 0) return 0;
    slot((uint)i, 1)->state = 2;
    header(1)->live--;
    kv_sync();
    return 1;
}

static long store_scan(uint *sum) {
    long n = 0;
    for (uint i = 0; i < nslots; i++) {
        struct slot *s = slot(i, 0);
        if (s->state == 1) {
            *sum += s->klen + s->vlen;
            n++;
        }
    }
    return n;
}

static void store_say(const char *line) {
    kv_write(1, line, (int)lo_strlen(line));
}

#include "kvwork.h"

static int store_put_group(int first, int n, int width) {
    char key[16], val[KVW_VALLEN + 1];
    for (int i = first; i < first + n; i++) {
        kvw_key(key, i);
        kvw_val(val, i, 0);
        if (put(key, val) != 0) return -1;
        if ((i - first) % width == width - 1 || i == first + n - 1) kv_sync();
    }
    return 0;
}

static char value[VALMAX + 2];

static int run(int argc, char **argv) {
    if (argc == 0) return 0;
    const char *cmd = argv[0];
    if (lo_strcmp(cmd, "put") == 0 && argc >= 3) {
        // The value is the rest of the words, as typed: "kv put k hello world".
        value[0] = 0;
        int n = 0;
        for (int i = 2; i < argc; i++) {
            for (const char *s = argv[i]; *s && n < VALMAX + 1; s++) value[n++] = *s;
            if (i + 1 < argc && n < VALMAX + 1) value[n++] = ' ';
        }
        value[n] = 0;
        return put(argv[1], value);
    }
    if (lo_strcmp(cmd, "get") == 0 && argc == 2) return get(argv[1]);
    if (lo_strcmp(cmd, "del") == 0 && argc == 2) return del(argv[1]);
    if (lo_strcmp(cmd, "list") == 0 && argc == 1) {
        list();
        return 0;
    }
    if (lo_strcmp(cmd, "sync") == 0 && argc == 1) {
        kv_sync();
        return 0;
    }
    if (lo_strcmp(cmd, "stats") == 0 && argc == 1) {
        kv_printf(1, "%d records in %d slots; cache: %ld hits, %ld misses, %ld evictions; disk: %ld reads, %ld writes\n",
                  header(0)->live, nslots, kv_stats.hits, kv_stats.misses, kv_stats.evictions, kv_stats.reads,
                  kv_stats.writes);
        return 0;
    }
    if (lo_strcmp(cmd, "check") == 0 && argc == 1) return check();
    if (lo_strcmp(cmd, "bench") == 0 && argc == 1) return kvw_run();
    kv_printf(2, "kv: usage: put KEY VALUE | get KEY | del KEY | list | sync | stats | check | quit\n");
    return 1;
}

// Splits line into at most 4 words (the last one takes the rest: values may hold spaces).
static int words(char *line, char **w) {
    int n = 0;
    char *p = line;
    while (n < 4) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == 0 || *p == '\n') break;
        w[n++] = p;
        if (n == 3 && lo_strcmp(w[0], "put") == 0) {
            while (*p && *p != '\n') p++;
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
    if (kv_disk_open() < 0) {
        kv_printf(2, "kv: the file server gives no block range to this program\n");
        return 1;
    }
    if (kv_nblocks() < 2) {
        kv_printf(2, "kv: the block range is too small\n");
        return 1;
    }
    if (header(0)->magic != MAGIC) format();
    nslots = header(0)->nslots;
    int status = 0;
    if (argc > 1) {
        status = run(argc - 1, argv + 1);
    } else {
        kv_printf(1, "kv: one command a line: put KEY VALUE, get KEY, del KEY, list, sync, stats, check;"
                     " quit (or ^D) to leave\n");
        for (;;) {
            kv_printf(1, "kv> ");
            int n = 0;
            char c;
            while (n + 1 < (int)sizeof line && kv_read(0, &c, 1) == 1) {
                line[n++] = c;
                if (c == '\n') break;
            }
            line[n] = 0;
            if (n == 0) break;      // end of input
            char *w[4];
            int nw = words(line, w);
            if (nw == 1 && lo_strcmp(w[0], "quit") == 0) break;
            run(nw, w);
        }
    }
    kv_sync();
    return status;
}
