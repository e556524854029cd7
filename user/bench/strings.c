// Benchmark workload: string handling. Generated text is split into words, counted in a
// chained hash table, searched with Knuth-Morris-Pratt, and rebuilt reversed; the counts
// are checked against a second count by plain comparison.
//
//   strings [ROUNDS]
#include "bench.h"

#define TEXT 24000
#define BUCKETS 512
#define WORDS 4096

static char text[TEXT + 1], rev[TEXT + 1];
struct entry { const char *word; int len; int count; struct entry *next; };
static struct entry entries[WORDS];
static struct entry *table[BUCKETS];
static int nentries;

static const char *syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "qua"};

static unsigned int hash(const char *s, int n) {
    unsigned int h = 5381;
    for (int i = 0; i < n; i++) h = h * 33 + (unsigned char)s[i];
    return h;
}

static int same(const char *a, const char *b, int n) {
    for (int i = 0; i < n; i++) if (a[i] != b[i]) return 0;
    return 1;
}

static void add(const char *w, int n) {
    unsigned int h = hash(w, n) % BUCKETS;
    for (struct entry *e = table[h]; e; e = e->next)
        if (e->len == n && same(e->word, w, n)) { e->count++; return; }
    struct entry *e = &entries[nentries++];
    e->word = w; e->len = n; e->count = 1; e->next = table[h];
    table[h] = e;
}

// Occurrences of pat in s by Knuth-Morris-Pratt.
static int kmp(const char *s, const char *pat) {
    int m = (int)strlen(pat), fail[32];
    fail[0] = -1;
    for (int i = 1, k = -1; i < m; i++) {
        while (k >= 0 && pat[k + 1] != pat[i]) k = fail[k];
        if (pat[k + 1] == pat[i]) k++;
        fail[i] = k;
    }
    int found = 0;
    for (int i = 0, k = -1; s[i]; i++) {
        while (k >= 0 && pat[k + 1] != s[i]) k = fail[k];
        if (pat[k + 1] == s[i]) k++;
        if (k == m - 1) { found++; k = fail[k]; }
    }
    return found;
}

// The same count the slow way.
static int naive(const char *s, const char *pat) {
    int m = (int)strlen(pat), found = 0;
    for (int i = 0; s[i]; i++) if (same(s + i, pat, m)) found++;
    return found;
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: strings [ROUNDS]\n");
    if (n < 1) return 2;
    long result = 0;
    for (long r = 0; r < n; r++) {
        bench_seed = 88172645463325252UL;
        int len = 0, words = 0;
        while (len < TEXT - 16) {
            int syl = 1 + (int)(bench_rand() % 3);
            for (int k = 0; k < syl; k++) {
                const char *s = syllables[bench_rand() % 10];
                while (*s) text[len++] = *s++;
            }
            text[len++] = bench_rand() % 8 ? ' ' : '\n';
            words++;
        }
        text[len] = 0;
        for (int i = 0; i < BUCKETS; i++) table[i] = 0;
        nentries = 0;
        int counted = 0;
        for (int i = 0; i < len;) {
            while (i < len && (text[i] == ' ' || text[i] == '\n')) i++;
            int start = i;
            while (i < len && text[i] != ' ' && text[i] != '\n') i++;
            if (i > start) { add(text + start, i - start); counted++; }
        }
        CHECK(counted == words);
        int total = 0, best = 0;
        for (int i = 0; i < nentries; i++) {
            total += entries[i].count;
            if (entries[i].count > entries[best].count) best = i;
        }
        CHECK(total == words);
        int k1 = kmp(text, "kalo"), k2 = kmp(text, "quaqua"), k3 = kmp(text, "ze ka");
        CHECK(k1 == naive(text, "kalo") && k2 == naive(text, "quaqua") && k3 == naive(text, "ze ka"));
        for (int i = 0; i < len; i++) rev[i] = text[len - 1 - i];
        rev[len] = 0;
        CHECK(kmp(rev, "olak") == k1);
        result = (long)nentries * 1000000 + entries[best].count * 1000 + k1 + k2 + k3;
    }
    puts("strings "); putdec(result); puts("\n");
    return check_failures();
}
