// kvfile: kv's key-value store written with xv6's user API alone, a file per key, so that
// one source runs on the xv6 kernel and, linked with the standard LibOS, on kernel-exo.
// make bench runs its workload beside kv's (user/kv/kvwork.h).
//
//   kvfile put KEY VALUE...    kvfile get KEY    kvfile del KEY    kvfile list
//   kvfile bench [KEYS]        the workload of make bench (100 keys, or fewer; keys bench*, absent*)
//
// The store is the folder /kvstore, one file a key, each file one 96-byte record: the
// value's length, then the value, zero-padded. Why a file per key: xv6's API has no
// lseek, so a file of many records could only be read from its start and rewritten whole;
// a file per key gives the file system the work it is made for — finding a key is a
// directory lookup, caching is its buffer cache, durability is its log — which is what
// the comparison with kv is about. The record is fixed-size so that an update rewrites one
// block in place (one log commit); with O_TRUNC it would free the block and allocate it
// again (two). Every change is durable when the call returns, since xv6 commits the log
// at the end of each system call. A put of a new key is two calls (create, write): a
// crash between leaves a short file, which reads as absent.
#include "user.h"

#define STORE "/kvstore"
#define VALMAX 95
#define REC (1 + VALMAX)

static uchar rec[REC];

static int goodkey(const char *key) {
    uint n = strlen(key);
    return n > 0 && n <= DIRSIZ && strchr(key, '/') == 0 && strcmp(key, ".") != 0 && strcmp(key, "..") != 0;
}

static int store_put(const char *key, const char *val) {
    uint n = strlen(val);
    if (!goodkey(key) || n > VALMAX) return -1;
    memset(rec, 0, REC);
    rec[0] = (uchar)n;
    memmove(rec + 1, val, (int)n);
    int fd = open(key, O_CREATE | O_WRONLY);
    if (fd < 0) return -1;
    int w = write(fd, rec, REC);
    close(fd);
    return w == REC ? 0 : -1;
}

// 1 and the value in val, or 0 if absent (a record not wholly written counts as absent).
static int store_get(const char *key, char *val) {
    if (!goodkey(key)) return 0;
    int fd = open(key, O_RDONLY);
    if (fd < 0) return 0;
    int n = read(fd, rec, REC);
    close(fd);
    if (n != REC || rec[0] > VALMAX) return 0;
    memmove(val, rec + 1, rec[0]);
    val[rec[0]] = 0;
    return 1;
}

static int store_del(const char *key) {
    return goodkey(key) && unlink(key) == 0 ? 1 : 0;
}

// Calls visit with each record's key and value; returns how many, or -1.
static long each(void (*visit)(const char *key, const char *val, void *arg), void *arg) {
    int dir = open(".", O_RDONLY);
    if (dir < 0) return -1;
    struct dirent de;
    char key[DIRSIZ + 1], val[VALMAX + 1];
    long n = 0;
    while (read(dir, &de, sizeof de) == sizeof de) {
        if (de.inum == 0) continue;
        memmove(key, de.name, DIRSIZ);
        key[DIRSIZ] = 0;
        if (strcmp(key, ".") == 0 || strcmp(key, "..") == 0) continue;
        if (store_get(key, val) != 1) continue;
        visit(key, val, arg);
        n++;
    }
    close(dir);
    return n;
}

static void add(const char *key, const char *val, void *arg) {
    uint *sum = arg;
    *sum += strlen(key) + strlen(val);
}

static long store_scan(uint *sum) {
    return each(add, sum);
}

static void store_say(const char *line) {
    write(1, line, (int)strlen(line));
}

#include "kv/kvwork.h"

// width processes put at once, each every width-th key: the most xv6's log can group.
static int store_put_group(int first, int n, int width, int v) {
    for (int c = 0; c < width; c++) {
        int pid = fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            char key[16], val[KVW_VALLEN + 1];
            for (int i = first + c; i < first + n; i += width) {
                kvw_key(key, i);
                kvw_val(val, i, v);
                if (store_put(key, val) != 0) exit(1);
            }
            exit(0);
        }
    }
    int bad = 0;
    for (int c = 0; c < width; c++) {
        int status;
        if (wait(&status) < 0 || status != 0) bad = 1;
    }
    return bad ? -1 : 0;
}

static void show(const char *key, const char *val, void *arg) {
    printf("%s=%s\n", key, val);
}

static char value[VALMAX + 1];

int main(int argc, char **argv) {
    if (chdir(STORE) < 0 && (mkdir(STORE) < 0 || chdir(STORE) < 0)) {
        fprintf(2, "kvfile: cannot make %s\n", STORE);
        exit(1);
    }
    if (argc >= 3 && strcmp(argv[1], "put") == 0) {
        // The value is the rest of the words: "kvfile put k hello world".
        uint n = 0;
        for (int i = 3; i < argc; i++) {
            for (const char *s = argv[i]; *s && n < VALMAX; s++) value[n++] = *s;
            if (i + 1 < argc && n < VALMAX) value[n++] = ' ';
        }
        value[n] = 0;
        if (!goodkey(argv[2]) || store_put(argv[2], value) != 0) {
            fprintf(2, "kvfile: keys are 1..%d bytes without '/', values up to %d\n", DIRSIZ, VALMAX);
            exit(1);
        }
        exit(0);
    }
    if (argc == 3 && strcmp(argv[1], "get") == 0) {
        if (store_get(argv[2], value) != 1) {
            printf("%s: not found\n", argv[2]);
            exit(1);
        }
        printf("%s\n", value);
        exit(0);
    }
    if (argc == 3 && strcmp(argv[1], "del") == 0) {
        if (store_del(argv[2]) != 1) {
            printf("%s: not found\n", argv[2]);
            exit(1);
        }
        exit(0);
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0) exit(each(show, 0) < 0);
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "bench") == 0) exit(kvw_run(argc == 3 ? atoi(argv[2]) : KVW_KEYS));
    fprintf(2, "kvfile: usage: put KEY VALUE | get KEY | del KEY | list | bench [KEYS]\n");
    exit(1);
}
