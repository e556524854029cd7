// kv's record store: a log of records in kv's own blocks, and every live record in memory.
//
// On disk, block 0 of kv's range is the super and blocks 1..N-1 the log, used as a ring:
//   super      "KVS2", the store's id, N, and the tail: the sequence number of the oldest
//              log block still needed. A checksum.
//   log block  "KVL2", the store's id, its sequence number s (it lives in block
//              1 + s % (N-1)), how many bytes of records follow, a checksum; then the
//              records, each: op ('P' put, 'D' delete), key length, value length, key, value.
// In memory: a hash table of every live key, with its value and where its latest record
// is. A get or a scan reads no block: after kv_open, the disk is only written.
//
// The durability protocol. A change appends a record to the newest log block, the head,
// in memory. kv_commit writes the head into the disk's write cache and flushes: one block
// write and one flush for a change, or for all the changes of a group that fit in a block
// (the file server's log, made for every kind of file-system call, flushes four times a
// commit). What makes it crash-safe is one rule: a block is written only when every block
// before it in the log is durable — when the head fills up it is written and flushed
// before the next one is begun. So a crash can leave only the last block written in doubt,
// and a block write lands whole or not at all (the machine's disk writes a block at once,
// as xv6's log assumes for its header block): it holds its old records or its new ones.
// Recovery (kv_open) reads the log from the tail and stops at the first block that is not
// the next in sequence, or not whole by its checksum. What it replays is the history up to
// some point: every committed change, and of the rest a prefix or nothing.
//
// The ring fills up. When few blocks are free (or the log holds mostly dead records), the
// cleaner re-appends the live records of the oldest blocks (a delete's record there is
// dropped: nothing older remains for it to hide), commits, and only then writes the new
// tail into the super and flushes again, so no block is reused while the super on the
// disk still names it. At most half the log's room may hold live records, so cleaning
// always frees blocks.
#include "kvlib.h"

#define SUPER_MAGIC 0x3253564bU     // "KVS2"
#define OLD_MAGIC 0x3153564bU       // "KVS1": kv's first store, a hash table written back at exit
#define LOG_MAGIC 0x324c564bU       // "KVL2"
#define BSIZE EXO_BSIZE

struct super {
    uint magic;
    uint id;            // this store's: blocks of an earlier store in the range never match it
    uint nblocks;       // the range it was made for
    uint sum;
    uint64 tailseq;
};

struct lhead {
    uint magic;
    uint id;
    uint64 seq;
    ushort used;        // bytes of records after the header
    ushort pad;
    uint sum;
};

#define PAYLOAD ((long)(BSIZE - sizeof(struct lhead)))
#define RECHEAD 3
#define RECMAX (RECHEAD + KV_KEYMAX + KV_VALMAX)
#define MAXREC 4096     // live records at most

struct entry {
    uint64 seq;         // the log block holding its latest record
    uint hash;
    ushort off;         // that record's offset among the block's records
    uchar klen, vlen;
    char key[KV_KEYMAX + 1];
    char val[KV_VALMAX + 1];
};

// The log.
static struct kv_buf bufs[3];
static struct kv_buf *head = &bufs[0];      // the head block
static struct kv_buf *scratch = &bufs[1];   // a block being read
static struct kv_buf *superbuf = &bufs[2];
static uint id;
static long L;              // log blocks
static long reserve;        // free blocks below which the cleaner runs
static uint64 headseq;      // the head's sequence number
static uint64 tailseq;      // the oldest block still needed, as the cleaner left it
static uint64 dtailseq;     // the same, as the super on the disk says
static int dirty;           // the head holds records not yet written
static int unflushed;       // a block written since the last flush
static long cleaned, moved;

// The records in memory.
static uint *table;         // nslots: 0 empty, else an entry's index + 1 (linear probing)
static uint nslots;
static struct entry *entries = (struct entry *)KV_POOL;     // [0, nentries), dense
static uint nentries, room;                                 // entries, and room for them
static long poolpages;                                      // pages mapped at KV_POOL
static long live, livemax;  // bytes of live records (as logged), and the most allowed
static uint maxrec;

static struct lhead *H(struct kv_buf *b) {
    return (struct lhead *)b->data;
}

static long blockno(uint64 seq) {
    return 1 + (long)(seq % (uint64)L);
}

// A checksum of n bytes at p (both multiples of 8), a 64-bit word at a time, which is
// cheap in the interpreter; a change to any one word changes the 64-bit state.
typedef uint64 __attribute__((may_alias)) word;

static uint checksum(const uchar *p, long n) {
    const word *w = (const word *)p;
    uint64 h = 0x9e3779b97f4a7c15UL;
    for (long i = 0; i < n / 8; i++) {
        h = (h ^ w[i]) * 0x100000001b3UL;
        h ^= h >> 29;
    }
    return (uint)(h ^ (h >> 32));
}

static long sumlen(struct kv_buf *b) {
    return (long)sizeof(struct lhead) + ((H(b)->used + 7) & ~7L);
}

static uint blocksum(struct kv_buf *b) {
    uint saved = H(b)->sum;
    H(b)->sum = 0;
    uint s = checksum(b->data, sumlen(b));
    H(b)->sum = saved;
    return s;
}

// Whether b holds log block seq of this store, whole.
static int valid(struct kv_buf *b, uint64 seq) {
    struct lhead *h = H(b);
    return h->magic == LOG_MAGIC && h->id == id && h->seq == seq && h->used <= PAYLOAD && h->sum == blocksum(b);
}

static void fatal(const char *what, long n) {
    kv_printf(2, "kv: %s%ld\n", what, n);
    kv_exit(1);
}

// ---- the records in memory ----

static uint hashkey(const char *k, uint n) {
    uint h = 2166136261U;
    for (uint i = 0; i < n; i++) h = (h ^ (uchar)k[i]) * 16777619U;
    return h;
}

// The slot holding key, or the empty slot where it would go.
static uint findslot(const char *key, uint klen, uint h) {
    uint i = h & (nslots - 1);
    for (;;) {
        uint t = table[i];
        if (t == 0) return i;
        struct entry *e = &entries[t - 1];
        if (e->hash == h && e->klen == klen && lo_memcmp(e->key, key, klen) == 0) return i;
        i = (i + 1) & (nslots - 1);
    }
}

static struct entry *lookup(const char *key, uint klen) {
    uint t = table[findslot(key, klen, hashkey(key, klen))];
    return t ? &entries[t - 1] : 0;
}

static long recsize(struct entry *e) {
    return RECHEAD + e->klen + e->vlen;
}

// Takes the record of key out of memory, keeping the table's probe sequences whole
// (backward-shift deletion) and the entries dense (the last one moves into the hole).
static void forget(const char *key, uint klen) {
    uint h = hashkey(key, klen);
    uint i = findslot(key, klen, h);
    uint t = table[i];
    if (t == 0) return;
    live -= recsize(&entries[t - 1]);
    for (uint j = (i + 1) & (nslots - 1); table[j] != 0; j = (j + 1) & (nslots - 1)) {
        uint home = entries[table[j] - 1].hash & (nslots - 1);
        // The entry at j may move back to i unless its home lies cyclically in (i, j].
        int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            table[i] = table[j];
            i = j;
        }
    }
    table[i] = 0;
    uint last = nentries - 1;
    if (t - 1 != last) {
        lo_memmove(&entries[t - 1], &entries[last], sizeof(struct entry));
        struct entry *m = &entries[t - 1];
        table[findslot(m->key, m->klen, m->hash)] = t;
    }
    nentries--;
}

// Room for one more entry: 0, or -1 if there is no memory for it.
static int make_room(void) {
    if (nentries < room) return 0;
    if (kv_map(KV_POOL + (uint64)poolpages * PG, 1, 0) == 0) return -1;
    poolpages++;
    room = (uint)(poolpages * PG / (long)sizeof(struct entry));
    return 0;
}

// Puts key = val at (seq, off) in memory; 0, or -1 if there is no memory for it.
static int remember(const char *key, uint klen, const char *val, uint vlen, uint64 seq, long off) {
    uint h = hashkey(key, klen);
    uint i = findslot(key, klen, h);
    struct entry *e;
    if (table[i]) {
        e = &entries[table[i] - 1];
        live -= recsize(e);
    } else {
        if (make_room() < 0) return -1;
        e = &entries[nentries++];
        table[i] = nentries;
        e->hash = h;
        e->klen = (uchar)klen;
        lo_memmove(e->key, key, klen);
        e->key[klen] = 0;
    }
    e->vlen = (uchar)vlen;
    lo_memmove(e->val, val, vlen);
    e->val[vlen] = 0;
    e->seq = seq;
    e->off = (ushort)off;
    live += recsize(e);
    return 0;
}

// ---- the log ----

static void write_super(uint64 tail) {
    lo_memset(superbuf->data, 0, BSIZE);
    struct super *s = (struct super *)superbuf->data;
    s->magic = SUPER_MAGIC;
    s->id = id;
    s->nblocks = (uint)kv_nblocks();
    s->tailseq = tail;
    s->sum = checksum(superbuf->data, sizeof *s);
    kv_bwrite(0, superbuf);
    kv_flush();
    unflushed = 0;
    dtailseq = tail;
}

static void write_head(void) {
    H(head)->sum = blocksum(head);
    kv_bwrite(blockno(headseq), head);
    dirty = 0;
    unflushed = 1;
}

// Makes every change so far durable: the head, if it changed, then a flush.
static void sync_log(void) {
    if (dirty) write_head();
    if (unflushed) {
        kv_flush();
        unflushed = 0;
    }
}

// Makes the tail the cleaner moved durable: first the records it re-appended, then the
// super that no longer names the blocks they came from.
static void checkpoint(void) {
    sync_log();
    if (tailseq != dtailseq) write_super(tailseq);
}

static void empty_head(uint64 seq) {
    lo_memset(head->data, 0, BSIZE);
    struct lhead *h = H(head);
    h->magic = LOG_MAGIC;
    h->id = id;
    h->seq = seq;
    headseq = seq;
}

// Begins the next block as the head, the last one durable first (the rule).
static void next_block(void) {
    sync_log();
    if (headseq + 1 >= dtailseq + (uint64)L) checkpoint();  // its place may hold the oldest block still named
    if (headseq + 1 >= dtailseq + (uint64)L) fatal("the log is full at block ", (long)headseq);
    empty_head(headseq + 1);
}

// Appends a record to the head; returns its offset there (the head is headseq).
static long append(uchar op, const char *key, uint klen, const char *val, uint vlen) {
    long n = RECHEAD + klen + vlen;
    if (H(head)->used + n > PAYLOAD) next_block();
    long off = H(head)->used;
    uchar *r = head->data + sizeof(struct lhead) + off;
    r[0] = op;
    r[1] = (uchar)klen;
    r[2] = (uchar)vlen;
    lo_memmove(r + RECHEAD, key, klen);
    lo_memmove(r + RECHEAD + klen, val, vlen);
    H(head)->used = (ushort)(off + n);
    dirty = 1;
    return off;
}

// Calls f with each record of block b, in order; -1 if one is malformed.
static int records(struct kv_buf *b, void (*f)(uchar op, const char *key, uint klen, const char *val, uint vlen, long off)) {
    const uchar *base = b->data + sizeof(struct lhead);
    long used = H(b)->used;
    for (long off = 0; off < used;) {
        const uchar *r = base + off;
        if (off + RECHEAD > used || (r[0] != 'P' && r[0] != 'D') || r[1] == 0 || r[1] > KV_KEYMAX || r[2] > KV_VALMAX ||
            off + RECHEAD + r[1] + r[2] > used)
            return -1;
        f(r[0], (const char *)r + RECHEAD, r[1], (const char *)r + RECHEAD + r[1], r[2], off);
        off += RECHEAD + r[1] + r[2];
    }
    return 0;
}

static uint64 replaying;    // the block whose records replay() is given
static int short_of_memory;

static void replay(uchar op, const char *key, uint klen, const char *val, uint vlen, long off) {
    if (op == 'D') forget(key, klen);
    else if (remember(key, klen, val, vlen, replaying, off) < 0) short_of_memory = 1;
}

// Re-appends a record of the block being cleaned if it is its key's latest.
static void keep(uchar op, const char *key, uint klen, const char *val, uint vlen, long off) {
    if (op != 'P') return;
    struct entry *e = lookup(key, klen);
    if (e == 0 || e->seq != tailseq || e->off != off) return;
    long noff = append('P', key, klen, val, vlen);
    moved++;
    e = lookup(key, klen);
    e->seq = headseq;
    e->off = (ushort)noff;
}

// The most log blocks in use before the cleaner runs (hi) and after (lo). Mostly the room
// left: it runs when fewer than reserve blocks are free, until twice that many are. But a
// log of mostly dead records is cleaned sooner, when it holds more than twice the live
// records' blocks and some slack, so that kv's start-up, which reads the whole log, stays
// in proportion to the records it has, not to the changes it has seen.
#define SLACK 32

static long inuse(void) {
    return (long)(headseq - tailseq + 1);
}

static long limit(int hi) {
    long room = L - 1 - (hi ? reserve : 2 * reserve);
    long lean = 2 * (live / (PAYLOAD - RECMAX + 1) + 1) + (hi ? 3 : 2) * SLACK;
    return lean < room ? lean : room;
}

// Empties the oldest blocks until at most limit(0) are in use, and makes that durable.
static void clean(void) {
    while (tailseq < headseq && inuse() > limit(0)) {
        kv_bread(blockno(tailseq), scratch);
        if (!valid(scratch, tailseq) || records(scratch, keep) < 0) fatal("the log's oldest block is damaged: ", (long)tailseq);
        tailseq++;
        cleaned++;
    }
    checkpoint();
}

// ---- the store ----

static void geometry(void) {
    L = kv_nblocks() - 1;
    // The cleaner starts below reserve free blocks. Re-appending a block's records takes at
    // most PAYLOAD / (PAYLOAD - RECMAX + 1) blocks (records do not span blocks), and at most
    // half the log holds live records, so a sweep loses at most 7% of the log on the way:
    // an eighth keeps it from running out.
    reserve = L / 8 < 2 ? 2 : L / 8;
    // Records never span blocks, so a block may end in up to RECMAX-1 unused bytes.
    livemax = (L - reserve - 1) * (PAYLOAD - RECMAX + 1) / 2;
    maxrec = livemax / 16 < MAXREC ? (uint)(livemax / 16) : MAXREC;
    for (nslots = 16; nslots < 2 * maxrec; nslots *= 2) {}
}

static uint newid(uint old) {
    uint64 t;
    asm volatile("rdtime %0" : "=r"(t));
    uint64 mix[2] = {t ^ ((uint64)old << 32), (uint64)exo_envid()};
    uint n = checksum((const uchar *)mix, sizeof mix);
    return n == old ? n + 1 : n;
}

// A new, empty store. Its id differs from the last one's, so that no block of that one can
// pass for a block of this.
static int format(void) {
    id = newid(((struct super *)superbuf->data)->id);
    tailseq = 1;
    write_super(1);
    empty_head(1);
    return 0;
}

int kv_open(int fresh) {
    if (kv_disk_open() < 0) {
        kv_printf(2, "kv: the file server gives no block range to this program\n");
        return -1;
    }
    if (kv_nblocks() < 4) {
        kv_printf(2, "kv: the block range is too small (%ld blocks; kv needs 4)\n", kv_nblocks());
        return -1;
    }
    geometry();
    table = kv_pages((int)((nslots * sizeof *table + PG - 1) / PG), 0);
    if (table == 0 || kv_bufs(bufs, 3) < 0 || kv_map(KV_POOL, 1, 0) == 0) {
        kv_printf(2, "kv: out of memory\n");
        return -1;
    }
    poolpages = 1;
    room = PG / sizeof(struct entry);

    kv_bread(0, superbuf);
    struct super *s = (struct super *)superbuf->data;
    if (fresh) return format();
    if (s->magic == 0) {
        // Blocks never used: all zero, so no stale log block can be taken for ours.
        for (long i = 0; i < BSIZE / 8; i++) {
            if (((uint64 *)superbuf->data)[i] != 0) goto unknown;
        }
        return format();
    }
    if (s->magic == OLD_MAGIC) {
        kv_printf(2, "kv: kv's blocks hold a store of kv's first format (KVS1), which this kv does not read;"
                     " 'kv format' makes a new, empty store there\n");
        return -1;
    }
    uint sum = s->sum;
    s->sum = 0;
    if (s->magic != SUPER_MAGIC || sum != checksum(superbuf->data, sizeof *s) || s->tailseq == 0) goto unknown;
    s->sum = sum;
    if (s->nblocks != kv_nblocks()) {
        kv_printf(2, "kv: the store was made for %u blocks, and kv's range has %ld; 'kv format' makes a new, empty one\n",
                  s->nblocks, kv_nblocks());
        return -1;
    }
    id = s->id;
    tailseq = dtailseq = s->tailseq;

    // Recovery: replay the log from the tail while each block is the next one, whole.
    empty_head(tailseq);
    for (uint64 seq = tailseq; seq < tailseq + (uint64)L; seq++) {
        kv_bread(blockno(seq), scratch);
        if (!valid(scratch, seq)) break;
        replaying = seq;
        if (records(scratch, replay) < 0) fatal("a record in this log block is damaged: ", (long)seq);
        if (short_of_memory) {
            kv_printf(2, "kv: out of memory for the store's records\n");
            return -1;
        }
        struct kv_buf *t = head;    // the newest block read is the head
        head = scratch;
        scratch = t;
        headseq = seq;
    }
    return 0;
unknown:
    kv_printf(2, "kv: block 0 of kv's range holds no store this kv knows; 'kv format' makes a new, empty one\n");
    return -1;
}

int kv_put(const char *key, const char *val) {
    uint klen = (uint)lo_strlen(key), vlen = (uint)lo_strlen(val);
    if (klen == 0 || klen > KV_KEYMAX || vlen > KV_VALMAX) return -1;
    struct entry *e = lookup(key, klen);
    long n = RECHEAD + klen + vlen;
    if (e ? live - recsize(e) + n > livemax : nentries == maxrec || live + n > livemax || make_room() < 0) return -2;
    long off = append('P', key, klen, val, vlen);
    remember(key, klen, val, vlen, headseq, off);
    return 0;
}

int kv_del(const char *key) {
    uint klen = (uint)lo_strlen(key);
    if (klen == 0 || klen > KV_KEYMAX || lookup(key, klen) == 0) return 0;
    append('D', key, klen, "", 0);
    forget(key, klen);
    return 1;
}

void kv_commit(void) {
    sync_log();
    if (inuse() > limit(1)) clean();
}

const char *kv_get(const char *key) {
    uint klen = (uint)lo_strlen(key);
    if (klen == 0 || klen > KV_KEYMAX) return 0;
    struct entry *e = lookup(key, klen);
    return e ? e->val : 0;
}

long kv_each(void (*f)(const char *key, const char *val, void *arg), void *arg) {
    for (uint i = 0; i < nentries; i++) f(entries[i].key, entries[i].val, arg);
    return nentries;
}

void kv_store_stats(struct kv_store_stats *s) {
    s->records = nentries;
    s->bytes = live;
    s->maxbytes = livemax;
    s->logblocks = L;
    s->inuse = inuse();
    s->cleaned = cleaned;
    s->moved = moved;
}
