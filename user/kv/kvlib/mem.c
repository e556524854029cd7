// kv's memory: pages straight from the memory capability, mapped one after another from
// KV_HEAP up, for as long as kv runs. The environment's end frees them all.
#include "kvlib.h"

#define KV_HEAP 0x3F40000000UL
static uint64 next = KV_HEAP;

void *kv_pages(int n, int *handles) {
    uint64 start = next;
    for (int i = 0; i < n; i++) {
        long h = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
        if (h < 0) return 0;
        if (exo_map(EXO_SELF, next, (int)h, MAP_R | MAP_W) < 0) {
            capfree((int)h);
            return 0;
        }
        if (handles) handles[i] = (int)h;
        next += PG;
    }
    return (void *)start;
}
