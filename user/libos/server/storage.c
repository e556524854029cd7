// Disk storage for the programs of other LibOSes (kv, and any to come), by configuration,
// not by code here: /storage lists, one a line, a program and the blocks after the file
// system it owns,
//
//     /kv 0 1000          (program, first block, count: blocks sb.size+0 .. sb.size+999)
//
// A grant of disk blocks must go to code the server can vouch for. A process names the
// program it execs, and a client of the raw protocol (EXEC_ENV) loads the image itself: it
// could load any code under that name. So a program with storage is loaded only by the
// server (proc_exec, as the standard LibOS's exec asks for every program), from the file,
// and the blocks go to the environment it built, which no process controls;
// and it seals the program's file and /storage (fs_seal: no process may write, truncate
// or unlink them), so the code and the table stay what they were at boot. A program's
// range has one holder at a time: while the process running it lives, another process
// execing the program gets none (its h_storage is -1). It used to get the range, revoked
// from the one running: that kv found its disk gone in the middle of its work, and what
// its cache had not written yet was lost (any process could do that, by running kv).
#include "sproc.h"

#define NSTORAGE 8

struct storage {
    uint inum;          // the program
    uint first, count;  // blocks, from the end of the file system
    int via;            // ours, derived for this range: each holder's grant comes from it
    int holder;         // the environment it was last granted to (0: none yet)
};

static struct storage table[NSTORAGE];
static int nstorage;

static int number(const char **s, uint *out) {
    while (**s == ' ' || **s == '\t') (*s)++;
    if (**s < '0' || **s > '9') return -1;
    uint n = 0;
    while (**s >= '0' && **s <= '9') {
        uint next = n * 10 + (uint)(**s - '0');
        if (next < n) return -1;
        n = next;
        (*s)++;
    }
    *out = n;
    return 0;
}

// One line of /storage: "path first count". 0, or -1 with *why set.
static int entry(const char *line, uint extra, const char **why) {
    char path[SRV_MAXPATH];
    int n = 0;
    while (*line == ' ' || *line == '\t') line++;
    while (*line && *line != ' ' && *line != '\t' && n < SRV_MAXPATH - 1) path[n++] = *line++;
    path[n] = 0;
    struct storage s;
    if (n == 0 || number(&line, &s.first) < 0 || number(&line, &s.count) < 0 || s.count == 0) {
        *why = "not \"program first count\"";
        return -1;
    }
    if (s.first > extra || s.count > extra - s.first) {
        *why = "beyond the blocks after the file system";
        return -1;
    }
    for (int i = 0; i < nstorage; i++) {
        if (s.first < table[i].first + table[i].count && table[i].first < s.first + s.count) {
            *why = "overlaps an earlier line";
            return -1;
        }
    }
    if (nstorage == NSTORAGE) {
        *why = "too many lines";
        return -1;
    }
    begin_op();
    struct inode *ip = namei(0, path);
    int file = 0;
    if (ip) {
        ilock(ip);
        file = ip->type == T_FILE;
        s.inum = ip->inum;
        iunlockput(ip);
    }
    end_op();
    if (!file) {
        *why = "no such program";
        return -1;
    }
    long via = capgrant(srv_extra, EXO_SELF, CAP_R | CAP_W | CAP_GRANT | CAP_REVOKE, s.first + (long)sb.size, s.count, 0);
    if (via < 0 || fs_seal(s.inum) < 0) {
        *why = "no room";
        return -1;
    }
    s.via = (int)via;
    s.holder = 0;
    table[nstorage++] = s;
    return 0;
}

void storage_init(void) {
    begin_op();
    struct inode *ip = namei(0, "/storage");
    end_op();
    if (ip == 0) return;
    static char text[2048];
    ilock(ip);
    int n = readi(ip, (uchar *)text, 0, sizeof text - 1);
    uint inum = ip->inum;
    iunlock(ip);
    begin_op();
    iput(ip);
    end_op();
    fs_seal(inum);
    text[n < 0 ? 0 : n] = 0;
    struct exo_capinfo ci;
    uint extra = srv_extra >= 0 && capinfo(srv_extra, &ci) == 0 ? (uint)ci.count : 0;
    char *line = text;
    for (int no = 1; *line; no++) {
        char *end = line;
        while (*end && *end != '\n') end++;
        int last = *end == 0;
        *end = 0;
        const char *why = 0;
        if (*line && *line != '#' && entry(line, extra, &why) < 0)
            srv_say("fsserver: /storage, line %d: %s: ignored\n", no, why);
        if (last) break;
        line = end + 1;
    }
}

int storage_of(uint inum) {
    for (int i = 0; i < nstorage; i++) {
        if (table[i].inum == inum) return i;
    }
    return -1;
}

long storage_grant(int i, int slot, int env) {
    struct storage *s = &table[i];
    // Busy while the process last given it still runs it (an exec of the program by that
    // very process replaces it: the old environment goes with the commit).
    int h = s->holder ? proc_by_envid(s->holder) : -1;
    if (h >= 0 && h != slot) return -1;
    struct exo_capinfo ci;
    if (capinfo(env, &ci) < 0) return -1;
    caprevoke(s->via);          // the last holder's grant, if its environment still has it
    long g = capgrant(s->via, env, CAP_R | CAP_W, 0, 0, 0);
    if (g >= 0) s->holder = (int)ci.first;
    return g;
}
