// The shell.
//
// It reads a line, parses it into a tree of commands and runs the tree, as xv6's shell
// does, and understands the same language:
//
//   line      = list
//   list      = pipeline { (';' | '&') [pipeline] }     '&' runs what precedes it
//                                                       in the background
//   pipeline  = command { '|' command }
//   command   = '(' list ')' { redirect } | { word | redirect }+
//   redirect  = ('<' | '>' | '>>') word                 '>' truncates, '>>' appends
//
// plus quotes ('...' or "..." make one word of what they hold) and # comments.
// The prompt "$ " goes to fd 2. `cd` is built in; every other command runs in a
// child. A background command is started by a child that exits at once, so the command
// becomes init's and init reaps it. Input ends at end of file, and the shell exits 0.
// Given a file argument, the shell reads its commands from that file, without prompts.
#include "user.h"

#define MAXLINE 512         // bytes of one input line
#define ARENA 32768         // bytes of parse tree and words per line
#define MAXNEST 10          // parentheses within parentheses (each level costs stack)

// ---- The command tree --------------------------------------------------------------------

enum kind { EXEC, PIPELINE, LIST, SUBSHELL };
enum redirkind { FROM, TO, APPEND };

struct redir {
    enum redirkind kind;
    char *file;
    struct redir *next;
};

struct cmd {
    enum kind kind;
    struct redir *redirs;       // EXEC, SUBSHELL
    int argc;                   // EXEC
    char *argv[MAXARG];         // EXEC: argc words and a 0
    struct cmd *inner;          // SUBSHELL: its list
    struct cmd *first;          // PIPELINE, LIST: the first member
    struct cmd *next;           // the next member of the enclosing PIPELINE or LIST
    int background;             // as a LIST member: followed by '&'
};

// Parse trees live in an arena that each line starts afresh, so a long session does
// not leak and a line too complex to fit is an error, not a crash.
static char arena[ARENA];
static int arena_used;

static void *alloc(int n) {
    n = (n + 7) & ~7;
    if (arena_used + n > ARENA) return 0;
    void *p = arena + arena_used;
    arena_used += n;
    memset(p, 0, n);
    return p;
}

// ---- Parsing -------------------------------------------------------------------------------

enum token { WORD, LT, GT, GTGT, BAR, SEMI, AMP, LPAREN, RPAREN, END };

struct parser {
    char *s;                // the rest of the line
    enum token tok;         // the current token
    char *word;             // its text when it is a WORD
    char *error;            // the first error, if any
    int depth;              // parentheses open around the current token
};

static const char *tokname(enum token t) {
    static const char *names[] = {"word", "<", ">", ">>", "|", ";", "&", "(", ")", "newline"};
    return names[t];
}

static int isspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v'; }

static int isspecial(char c) { return c != 0 && strchr("<>|;&()", c) != 0; }

static void fail(struct parser *p, char *msg) {
    if (p->error == 0) p->error = msg;
    p->tok = END;
}

// Moves to the next token. A word's text, its quotes removed, is copied into the arena.
static void advance(struct parser *p) {
    if (p->error) return;
    while (isspace(*p->s)) p->s++;
    char c = *p->s;
    if (c == 0 || c == '#') {
        p->tok = END;
        return;
    }
    if (isspecial(c)) {
        p->s++;
        switch (c) {
        case '<': p->tok = LT; break;
        case '>':
            p->tok = GT;
            if (*p->s == '>') {
                p->s++;
                p->tok = GTGT;
            }
            break;
        case '|': p->tok = BAR; break;
        case ';': p->tok = SEMI; break;
        case '&': p->tok = AMP; break;
        case '(': p->tok = LPAREN; break;
        default: p->tok = RPAREN; break;
        }
        return;
    }
    // A word runs to a space or a special character outside quotes. Measure it, then
    // copy it without its quotes.
    int len = 0;
    for (char *t = p->s; *t && !isspace(*t) && !isspecial(*t); t++, len++) {
        if (*t == '\'' || *t == '"') {
            char *close = strchr(t + 1, *t);
            if (close == 0) {
                fail(p, "unterminated quote");
                return;
            }
            len += close - t - 2;
            t = close;
        }
    }
    char *w = alloc(len + 1);
    if (w == 0) {
        fail(p, "command too long");
        return;
    }
    int n = 0;
    while (*p->s && !isspace(*p->s) && !isspecial(*p->s)) {
        char q = *p->s;
        if (q == '\'' || q == '"') {
            char *close = strchr(p->s + 1, q);
            for (char *t = p->s + 1; t < close; t++) w[n++] = *t;
            p->s = close + 1;
        } else {
            w[n++] = *p->s++;
        }
    }
    w[n] = 0;
    p->tok = WORD;
    p->word = w;
}

static struct cmd *newcmd(struct parser *p, enum kind kind) {
    struct cmd *c = alloc(sizeof *c);
    if (c == 0) fail(p, "command too long");
    else c->kind = kind;
    return c;
}

static void unexpected(struct parser *p) {
    static char msg[40];
    char *m = msg;
    strcpy(m, "syntax error near ");
    strcpy(m + strlen(m), tokname(p->tok));
    fail(p, msg);
}

// Parses redirections while there are any, appending them to c's list.
static void parse_redirects(struct parser *p, struct redir ***tail) {
    while (p->tok == LT || p->tok == GT || p->tok == GTGT) {
        enum redirkind kind = p->tok == LT ? FROM : p->tok == GT ? TO : APPEND;
        advance(p);
        if (p->tok != WORD) {
            fail(p, "missing file name after redirection");
            return;
        }
        struct redir *r = alloc(sizeof *r);
        if (r == 0) {
            fail(p, "command too long");
            return;
        }
        r->kind = kind;
        r->file = p->word;
        **tail = r;
        *tail = &r->next;
        advance(p);
    }
}

static struct cmd *parse_list(struct parser *p);

static struct cmd *parse_command(struct parser *p) {
    struct redir **tail;
    if (p->tok == LPAREN) {
        if (++p->depth > MAXNEST) {
            fail(p, "parentheses nested too deeply");
            return 0;
        }
        advance(p);
        struct cmd *c = newcmd(p, SUBSHELL);
        if (c == 0) return 0;
        c->inner = parse_list(p);
        p->depth--;
        if (p->error) return 0;
        if (c->inner == 0) {
            unexpected(p);
            return 0;
        }
        if (p->tok != RPAREN) {
            fail(p, "missing )");
            return 0;
        }
        advance(p);
        tail = &c->redirs;
        parse_redirects(p, &tail);
        if (p->tok == WORD || p->tok == LPAREN) unexpected(p);
        return c;
    }
    struct cmd *c = newcmd(p, EXEC);
    if (c == 0) return 0;
    tail = &c->redirs;
    for (;;) {
        parse_redirects(p, &tail);
        if (p->tok != WORD) break;
        if (c->argc == MAXARG - 1) {
            fail(p, "too many arguments");
            return 0;
        }
        c->argv[c->argc++] = p->word;
        advance(p);
    }
    if (p->error) return 0;
    if (c->argc == 0) {
        if (c->redirs != 0) fail(p, "missing command");
        else unexpected(p);
        return 0;
    }
    if (p->tok == LPAREN) unexpected(p);
    return c;
}

static struct cmd *parse_pipeline(struct parser *p) {
    struct cmd *first = parse_command(p);
    if (first == 0 || p->tok != BAR) return first;
    struct cmd *pl = newcmd(p, PIPELINE);
    if (pl == 0) return 0;
    pl->first = first;
    struct cmd *last = first;
    while (p->tok == BAR) {
        advance(p);
        struct cmd *c = parse_command(p);
        if (c == 0) return 0;
        last->next = c;
        last = c;
    }
    return pl;
}

// A list may be empty (a blank line, or "()" which is an error found by the caller).
static struct cmd *parse_list(struct parser *p) {
    struct cmd *list = newcmd(p, LIST);
    if (list == 0) return 0;
    struct cmd **tail = &list->first;
    while (p->tok != END && p->tok != RPAREN && !p->error) {
        struct cmd *c = parse_pipeline(p);
        if (c == 0) return 0;
        *tail = c;
        tail = &c->next;
        if (p->tok == SEMI || p->tok == AMP) {
            c->background = p->tok == AMP;
            advance(p);
        } else if (p->tok != END && p->tok != RPAREN) {
            unexpected(p);
        }
    }
    return list->first ? list : 0;
}

// The tree of one line, or 0 for a blank line or (with *error set) a bad one.
static struct cmd *parse(char *line, char **error) {
    arena_used = 0;
    struct parser p = {.s = line};
    advance(&p);
    struct cmd *c = parse_list(&p);
    if (!p.error && p.tok != END) unexpected(&p);
    *error = p.error;
    return p.error ? 0 : c;
}

// ---- Running -------------------------------------------------------------------------------

static void run(struct cmd *c) __attribute__((noreturn));
static void runlist(struct cmd *list);

static int fork1(void) {
    int pid = fork();
    if (pid < 0) fprintf(2, "sh: fork failed\n");
    return pid;
}

// Waits for the child pid; other children that end meanwhile are simply reaped.
static int waitfor(int pid) {
    int status, w;
    while ((w = wait(&status)) >= 0) {
        if (w == pid) return status;
    }
    return -1;
}

// Makes `fd` refer to `file`, opened with `flags`; exits the (child) process on failure.
static void redirect(int fd, char *file, int flags, int append) {
    int f = open(file, flags);
    if (f < 0) {
        fprintf(2, "open %s failed\n", file);
        exit(1);
    }
    if (append) {
        // There is no lseek: read to the end so writes go after the old contents.
        struct stat st;
        char buf[512];
        if (fstat(f, &st) == 0 && st.type == T_FILE) {
            while (read(f, buf, sizeof buf) > 0) {}
        }
    }
    if (f != fd) {
        close(fd);
        if (dup(f) != fd) {
            fprintf(2, "sh: cannot redirect fd %d\n", fd);
            exit(1);
        }
        close(f);
    }
}

static void apply_redirects(struct redir *r) {
    for (; r != 0; r = r->next) {
        switch (r->kind) {
        case FROM: redirect(0, r->file, O_RDONLY, 0); break;
        case TO: redirect(1, r->file, O_WRONLY | O_CREATE | O_TRUNC, 0); break;
        case APPEND: redirect(1, r->file, O_RDWR | O_CREATE, 1); break;
        }
    }
}

static int iscd(struct cmd *c) {
    return c->kind == EXEC && strcmp(c->argv[0], "cd") == 0;
}

// cd alone goes home, as in any shell; with no HOME here that is the root, and there is
// no pwd to ask either, so it says where it went.
static int cd(struct cmd *c) {
    char *dir = c->argc > 1 ? c->argv[1] : "/";
    if (c->argc > 2) {
        fprintf(2, "cd: too many arguments\n");
        return 1;
    }
    if (chdir(dir) < 0) {
        fprintf(2, "cannot cd %s\n", dir);
        return 1;
    }
    if (c->argc == 1) fprintf(2, "cd: now in / (no HOME here)\n");
    return 0;
}

// Runs a pipeline's commands side by side, each reading what the previous one writes,
// and exits with the last one's status once all have ended.
static void runpipeline(struct cmd *pl) {
    int started = 0, last = -1, in = -1;
    for (struct cmd *c = pl->first; c != 0; c = c->next) {
        int p[2] = {-1, -1};
        if (c->next != 0 && pipe(p) < 0) {
            fprintf(2, "sh: pipe failed\n");
            break;
        }
        int pid = fork1();
        if (pid == 0) {
            if (in >= 0) {
                close(0);
                dup(in);
                close(in);
            }
            if (c->next != 0) {
                close(1);
                dup(p[1]);
                close(p[0]);
                close(p[1]);
            }
            run(c);
        }
        if (in >= 0) close(in);
        if (c->next != 0) close(p[1]);
        in = p[0];
        if (pid < 0) break;
        started++;
        last = pid;
    }
    if (in >= 0) close(in);
    int status = 0, st;
    for (int i = 0; i < started; i++) {
        if (wait(&st) == last) status = st;
    }
    exit(status);
}

// Replaces this process with the program argv[0]. Kept out of run() so its path buffer
// is not on the stack of every level of nested parentheses (the stack is one page).
static __attribute__((noinline, noreturn)) void execute(char **argv) {
    exec(argv[0], argv);
    if (strchr(argv[0], '/') == 0) {
        // Not here: the programs live in the root directory, so look there too.
        char path[MAXPATH];
        if (strlen(argv[0]) + 2 <= sizeof path) {
            path[0] = '/';
            strcpy(path + 1, argv[0]);
            exec(path, argv);
        }
    }
    fprintf(2, "exec %s failed\n", argv[0]);
    exit(1);
}

// Runs c in this process, which is a child of the shell; never returns.
static void run(struct cmd *c) {
    switch (c->kind) {
    case EXEC:
        apply_redirects(c->redirs);
        if (iscd(c)) exit(cd(c));
        execute(c->argv);
    case SUBSHELL:
        apply_redirects(c->redirs);
        runlist(c->inner);
        exit(0);
    case PIPELINE:
        runpipeline(c);
        exit(0);
    case LIST:
        runlist(c);
        exit(0);
    }
    exit(1);
}

// Runs a list's members in turn: cd in this process, every other member in a child,
// waited for unless it is in the background.
static void runlist(struct cmd *list) {
    for (struct cmd *c = list->first; c != 0; c = c->next) {
        if (iscd(c) && !c->background && c->redirs == 0) {
            cd(c);
            continue;
        }
        int pid = fork1();
        if (pid < 0) return;
        if (pid == 0) {
            if (c->background) {
                // Start the command in a grandchild and leave it to init, in a process
                // group of its own: ^C kills the shell's group, orphans and all. Both
                // set it, so it is set before either goes on (before the grandchild runs
                // the command, and before it is init's).
                int bg = fork1();
                if (bg == 0) {
                    setpgid(0, 0);
                    run(c);
                }
                if (bg > 0) setpgid(bg, bg);
                exit(bg < 0);
            }
            run(c);
        }
        waitfor(pid);
    }
}

// ---- Reading -------------------------------------------------------------------------------

// Reads a line from fd without its newline. Returns its length, or -1 at end of input
// with nothing read, or -2 if it did not fit (the rest of it is read and dropped).
static int getline(int fd, char *buf, int size) {
    int n = 0, toolong = 0;
    for (;;) {
        char c;
        if (read(fd, &c, 1) != 1) {
            if (n == 0 && !toolong) return -1;
            break;
        }
        if (c == '\n') break;
        if (n + 1 < size) buf[n++] = c;
        else toolong = 1;
    }
    buf[n] = 0;
    return toolong ? -2 : n;
}

int main(int argc, char **argv) {
    // Make sure fds 0, 1 and 2 are open, on the console if nothing else.
    int fd;
    while ((fd = open("console", O_RDWR)) >= 0) {
        if (fd >= 3) {
            close(fd);
            break;
        }
    }

    int in = 0, prompt = 1;
    if (argc > 1) {
        if ((in = open(argv[1], O_RDONLY)) < 0) {
            fprintf(2, "sh: cannot open %s\n", argv[1]);
            exit(1);
        }
        prompt = 0;
    }

    // Reading the console, the shell is the interactive one: ^C kills what it runs. Said
    // before every prompt, so it is this shell again when one started from it has ended.
    // It leads a process group, which its commands inherit, orphans too: ^C kills that
    // group, so a command whose processes leave their parents (forktest bomb orphans) is
    // still ended, and what the shell below it left behind is not.
    struct stat st;
    int console = prompt && fstat(0, &st) == 0 && st.type == T_DEVICE;
    if (console && interactive() == 0) setpgid(0, 0);

    static char line[MAXLINE];
    for (;;) {
        if (console) interactive();
        if (prompt) write(2, "$ ", 2);
        int n = getline(in, line, sizeof line);
        if (n == -1) break;
        if (n == -2) {
            fprintf(2, "sh: line too long (at most %d bytes)\n", MAXLINE - 1);
            continue;
        }
        char *error;
        struct cmd *c = parse(line, &error);
        if (error) fprintf(2, "sh: %s\n", error);
        else if (c) runlist(c);
    }
    exit(0);
}
