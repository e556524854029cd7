// kv's memory: pages straight from the memory capability, mapped where kv wants them, for
// as long as kv runs. The environment's end frees them all.
#include "kvlib.h"

static uint64 next = KV_HEAP;

void *kv_map(uint64 va, int n, int *handles) {
    for (int i = 0; i < n; i++) {
        long h = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
        if (h < 0) return 0;
        if (exo_map(EXO_SELF, va + (uint64)i * PG, (int)h, MAP_R | MAP_W) < 0) {
            capfree((int)h);
            return 0;
        }
        if (handles) handles[i] = (int)h;
    }
    return (void *)va;
}

void *kv_pages(int n, int *handles) {
    void *p = kv_map(next, n, handles);
    if (p) next += (uint64)n * PG;
    return p;
}
