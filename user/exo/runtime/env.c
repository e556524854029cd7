// Pages and child environments for the test programs.
#include "rt.h"

extern char __data_start[]; // exo.ld: the first page of data (writable)
extern struct exo_bootinfo *rt_boot;
void rt_child_return(void);

long page_alloc(void) {
    return capalloc(CAP_PAGE, -1, EXO_BOOT_MEMORY, 0);
}

long page_map(exo_u64 va) {
    long h = page_alloc();
    if (h < 0) return h;
    long r = exo_map(EXO_SELF, va, (int)h, MAP_R | MAP_W);
    if (r < 0) {
        capfree((int)h);
        return r;
    }
    return h;
}

long give_page(int h, int env, exo_u64 va, int rights, int perm) {
    long g = capgrant(h, env, rights, 0, 0, 0);
    if (g < 0) return g;
    long r = exo_map(env, va, (int)g, perm);
    return r < 0 ? r : g;
}

// A copy of the page at va for child env: a fresh page, filled through RT_SCRATCH, granted
// to env and mapped there at va read-write. Our own handle is freed: the child's capability
// (derived from it) keeps the page.
static long copy_page(int env, exo_u64 va) {
    long p = page_alloc();
    if (p < 0) return p;
    long r = exo_map(EXO_SELF, RT_SCRATCH, (int)p, MAP_R | MAP_W);
    if (r < 0) return r;
    memcpy((void *)RT_SCRATCH, (void *)va, EXO_PGSIZE);
    exo_unmap(EXO_SELF, RT_SCRATCH);
    long h = capgrant((int)p, env, CAP_ALL, 0, 0, 0);
    capfree((int)p);
    if (h < 0) return h;
    return exo_map(env, va, (int)h, MAP_R | MAP_W);
}

static long fresh_page(int env, exo_u64 va) {
    long p = page_alloc();
    if (p < 0) return p;
    long h = capgrant((int)p, env, CAP_ALL, 0, 0, 0);
    capfree((int)p);
    if (h < 0) return h;
    return exo_map(env, va, (int)h, MAP_R | MAP_W);
}

long spawn(long (*fn)(long), long arg, int flags) {
    static const int boot[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    return spawn_with(fn, arg, flags, boot);
}

long spawn_with(long (*fn)(long), long arg, int flags, const int handles[5]) {
    if (rt_boot == NULL) return E_INVAL;
    // The child's kernel memory is paid from the memory it is given.
    long env = capalloc(CAP_ENV, 0, handles[0], 0);
    if (env < 0) return env;
    long r = 0;
    // Its handles 0..4, in order, mean what the boot handles mean.
    for (int i = 0; i < 5 && r >= 0; i++) r = capgrant(handles[i], (int)env, CAP_ALL, 0, 0, 0);
    exo_u64 stack = EXO_UTOP - EXO_BOOT_STACK_PAGES * EXO_PGSIZE;
    for (exo_u64 i = 0; i < rt_boot->npages && r >= 0; i++) {
        exo_u64 va = rt_boot->page[i].va;
        int h = (int)rt_boot->page[i].handle;
        if (va >= stack) continue;
        if (va < (exo_u64)__data_start) {
            r = capgrant(h, (int)env, CAP_R | CAP_X, 0, 0, 0);
            if (r >= 0) r = exo_map((int)env, va, (int)r, MAP_R | MAP_X);
        } else {
            r = copy_page((int)env, va);
        }
    }
    for (int i = 1; i <= RT_STACK_PAGES && r >= 0; i++) r = fresh_page((int)env, EXO_UTOP - i * EXO_PGSIZE);
    if (r >= 0) {
        struct exo_regs regs;
        memset(&regs, 0, sizeof regs);
        exo_u64 gp;
        asm("mv %0, gp" : "=r"(gp));
        regs.x[1] = (exo_u64)rt_child_return; // ra
        regs.x[2] = EXO_UTOP;                 // sp
        regs.x[3] = gp;
        regs.x[10] = (exo_u64)arg;            // a0
        regs.pc = (exo_u64)fn;
        r = env_ctl((int)env, ENV_SETREGS, &regs);
    }
    if (r >= 0 && !(flags & SPAWN_STOPPED)) r = env_ctl((int)env, ENV_START, 0);
    if (r < 0) {
        env_ctl((int)env, ENV_DESTROY, (void *)-1L);
        capfree((int)env);
        return r;
    }
    return env;
}

long env_state(int h) {
    struct exo_envinfo info;
    long r = env_ctl(h, ENV_INFO, &info);
    return r < 0 ? r : info.state;
}

long env_ticks(int h) {
    struct exo_envinfo info;
    return env_ctl(h, ENV_INFO, &info) < 0 ? -1 : (long)info.ticks;
}

void sleep_ticks(long n) {
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while (exo_ticks(EXO_BOOT_CLOCK) - t0 < n) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
}

long wait_child(int envh) {
    struct exo_envinfo info;
    for (;;) {
        long r = env_ctl(envh, ENV_INFO, &info);
        if (r < 0) return r;
        if (info.state == ENV_STATE_EXITED) return info.status;
        exosched(EXOSCHED_BLOCK, EV_CHILD, 0);
    }
}

int ends_by_fault(int h, volatile long *runs, long then) {
    WAIT_UNTIL(env_state(h) == ENV_STATE_EXITED || *runs >= then + 2, exosched(EXOSCHED_BLOCK, EV_CHILD | EV_TICK, 0));
    if (env_state(h) == ENV_STATE_EXITED) return 1;
    env_ctl(h, ENV_DESTROY, 0);
    return 0;
}

long spawn_sharing(long (*fn)(long), long arg, int flags, int page, exo_u64 va) {
    long e = spawn(fn, arg, SPAWN_STOPPED);
    if (e < 0) return e;
    long r = give_page(page, (int)e, va, CAP_R | CAP_W, MAP_R | MAP_W);
    if (r >= 0 && !(flags & SPAWN_STOPPED)) r = env_ctl((int)e, ENV_START, 0);
    if (r < 0) {
        env_ctl((int)e, ENV_DESTROY, 0);
        capfree((int)e);
        return r;
    }
    return e;
}
