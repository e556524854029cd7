// wc [file ...]: count the lines, words and bytes of each file, or of the standard input.
#include "user.h"

static char buf[4096];

static int isblank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v'; }

static void wc(int fd, const char *name) {
    int lines = 0, words = 0, bytes = 0, inword = 0, n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\n') lines++;
            if (isblank(c)) {
                inword = 0;
            } else if (!inword) {
                words++;
                inword = 1;
            }
        }
        bytes += n;
    }
    if (n < 0) {
        fprintf(2, "wc: read error\n");
        exit(1);
    }
    printf("%d %d %d %s\n", lines, words, bytes, name);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        wc(0, "");
        exit(0);
    }
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "wc: cannot open %s\n", argv[i]);
            exit(1);
        }
        wc(fd, argv[i]);
        close(fd);
    }
    exit(0);
}
