// ls [path ...]: for a file, one line "name type ino size"; for a directory, that line
// for each of its entries. Names are padded to DIRSIZ so the columns line up.
#include "user.h"

// The last element of path, padded with spaces to DIRSIZ characters.
static char *fmtname(const char *path) {
    static char name[MAXPATH + 1];
    const char *p = path + strlen(path);
    while (p > path && p[-1] != '/') p--;
    uint n = strlen(p);
    if (n >= DIRSIZ) return (char *)p;
    memmove(name, p, n);
    memset(name + n, ' ', DIRSIZ - n);
    name[DIRSIZ] = 0;
    return name;
}

static void show(const char *path, const struct stat *st) {
    printf("%s %d %d %ld\n", fmtname(path), st->type, st->ino, st->size);
}

static void ls(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(2, "ls: cannot open %s\n", path);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        fprintf(2, "ls: cannot stat %s\n", path);
        close(fd);
        return;
    }
    if (st.type != T_DIR && path[strlen(path) - 1] == '/') {
        // xv6's namei skips trailing slashes; a file named so would print with no name.
        fprintf(2, "ls: %s: not a directory\n", path);
        close(fd);
        return;
    }
    if (st.type != T_DIR) {
        show(path, &st);
        close(fd);
        return;
    }

    // Each entry is shown by its path, path/name, which must fit.
    char buf[MAXPATH + DIRSIZ + 2];
    uint len = strlen(path);
    if (len + 1 + DIRSIZ + 1 > sizeof buf) {
        fprintf(2, "ls: path too long\n");
        close(fd);
        return;
    }
    strcpy(buf, path);
    buf[len++] = '/';
    struct dirent de;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0) continue;
        memmove(buf + len, de.name, DIRSIZ);
        buf[len + DIRSIZ] = 0;
        struct stat est;
        if (stat(buf, &est) < 0) {
            fprintf(2, "ls: cannot stat %s\n", buf);
            continue;
        }
        show(buf, &est);
    }
    close(fd);
}

int main(int argc, char **argv) {
    if (argc < 2) ls(".");
    for (int i = 1; i < argc; i++) ls(argv[i]);
    exit(0);
}
