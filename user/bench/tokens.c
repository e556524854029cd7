// Benchmark workload: a state machine over bytes. A lexer for C-like text (identifiers,
// keywords, numbers, strings with escapes, comments, operators) driven by a switch on
// its state and a table of character classes, over generated text. The token counts are
// checked against what the generator wrote.
//
//   tokens [ROUNDS]
#include "bench.h"

#define TEXT 30000

enum cls { OTHER, SPACE, ALPHA, DIGIT, QUOTE, SLASH, STAR, BACKSLASH, NEWLINE };
enum state { START, IDENT, NUMBER, STRING, ESCAPE, SLASH1, LINE_COMMENT, BLOCK_COMMENT, BLOCK_STAR };
enum kind { T_IDENT, T_KEYWORD, T_NUMBER, T_STRING, T_COMMENT, T_OP, KINDS };

static unsigned char text[TEXT];
static unsigned char classes[256];
static long counts[KINDS];

static const char *words[] = {"if", "while", "return", "x", "count", "next", "value", "for", "node", "i"};
static const char *ops = "+-=<>(){};,";

static int keyword(const unsigned char *s, int n) {
    switch (n) {
    case 2: return s[0] == 'i' && s[1] == 'f';
    case 3: return s[0] == 'f' && s[1] == 'o' && s[2] == 'r';
    case 5: return s[0] == 'w' && s[1] == 'h' && s[2] == 'i' && s[3] == 'l' && s[4] == 'e';
    case 6: return s[0] == 'r' && s[1] == 'e' && s[2] == 't' && s[3] == 'u' && s[4] == 'r' && s[5] == 'n';
    default: return 0;
    }
}

static void lex(const unsigned char *p, int len) {
    enum state st = START;
    int start = 0;
    for (int i = 0; i <= len; i++) {
        int c = i < len ? p[i] : '\n';
        enum cls k = (enum cls)classes[c];
        switch (st) {
        case START:
        again:
            start = i;
            switch (k) {
            case ALPHA: st = IDENT; break;
            case DIGIT: st = NUMBER; break;
            case QUOTE: st = STRING; break;
            case SLASH: st = SLASH1; break;
            case OTHER: case STAR: case BACKSLASH: counts[T_OP]++; break;
            default: break;
            }
            break;
        case IDENT:
            if (k == ALPHA || k == DIGIT) break;
            counts[keyword(p + start, i - start) ? T_KEYWORD : T_IDENT]++;
            st = START;
            goto again;
        case NUMBER:
            if (k == DIGIT) break;
            counts[T_NUMBER]++;
            st = START;
            goto again;
        case STRING:
            if (k == BACKSLASH) st = ESCAPE;
            else if (k == QUOTE) { counts[T_STRING]++; st = START; }
            break;
        case ESCAPE: st = STRING; break;
        case SLASH1:
            if (k == SLASH) st = LINE_COMMENT;
            else if (k == STAR) st = BLOCK_COMMENT;
            else { counts[T_OP]++; st = START; goto again; }
            break;
        case LINE_COMMENT:
            if (k == NEWLINE) { counts[T_COMMENT]++; st = START; }
            break;
        case BLOCK_COMMENT: if (k == STAR) st = BLOCK_STAR; break;
        case BLOCK_STAR:
            if (k == SLASH) { counts[T_COMMENT]++; st = START; }
            else if (k != STAR) st = BLOCK_COMMENT;
            break;
        }
    }
}

static int put(int at, const char *s) {
    while (*s && at < TEXT) text[at++] = (unsigned char)*s++;
    return at;
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: tokens [ROUNDS]\n");
    if (n < 1) return 2;
    for (int c = 0; c < 256; c++) classes[c] = OTHER;
    for (int c = 'a'; c <= 'z'; c++) classes[c] = ALPHA;
    classes['_'] = ALPHA;
    for (int c = '0'; c <= '9'; c++) classes[c] = DIGIT;
    classes[' '] = classes['\t'] = SPACE;
    classes['\n'] = NEWLINE;
    classes['"'] = QUOTE; classes['/'] = SLASH; classes['*'] = STAR; classes['\\'] = BACKSLASH;
    long result = 0;
    for (long r = 0; r < n; r++) {
        bench_seed = 88172645463325252UL;
        long want[KINDS] = {0};
        int at = 0;
        while (at < TEXT - 64) {
            int w = (int)(bench_rand() % 10);
            switch (bench_rand() % 8) {
            case 0: case 1: case 2:
                at = put(at, words[w]);
                want[w < 3 || w == 7 ? T_KEYWORD : T_IDENT]++;
                break;
            case 3: { char num[8]; int v = (int)(bench_rand() % 99999), k = 7; num[k] = 0; do { num[--k] = (char)('0' + v % 10); v /= 10; } while (v); at = put(at, num + k); want[T_NUMBER]++; break; }
            case 4: at = put(at, w < 5 ? "\"a \\\" b\"" : "\"text\""); want[T_STRING]++; break;
            case 5: at = put(at, w < 5 ? "// note\n" : "/* x ** y */"); want[T_COMMENT]++; break;
            default: { char op[2] = {ops[w], 0}; at = put(at, op); want[T_OP]++; break; }
            }
            at = put(at, bench_rand() % 4 ? " " : "\n");
        }
        for (int k = 0; k < KINDS; k++) counts[k] = 0;
        lex(text, at);
        for (int k = 0; k < KINDS; k++) CHECK(counts[k] == want[k]);
        result = counts[T_IDENT] * 1000000 + counts[T_KEYWORD] * 10000 + counts[T_OP];
    }
    puts("tokens "); putdec(result); puts("\n");
    return check_failures();
}
