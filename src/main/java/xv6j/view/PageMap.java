package xv6j.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Physical memory as the page draws it: an owner for every page, each owner listed once
 * ({"kind": "user", "id": 3, "label": "pid 3 (sh)"}), the pages run-length encoded by
 * owner index. Both kernels fill one in from their own snapshot; the kinds are theirs.
 */
final class PageMap {
    private record Owner(String kind, long id, String label) {}

    private final long base;
    private final int[] owner;
    private final List<Owner> owners = new ArrayList<>();
    private final Map<Owner, Integer> index = new HashMap<>();

    /** A map of pages pages from physical address base, every page owned by the first owner given. */
    PageMap(long base, int pages, String kind, String label) {
        this.base = base;
        this.owner = new int[pages];
        of(kind, -1, label);
    }

    /** The index of an owner, listed on first use. id: a pid or an environment id, or -1. */
    int of(String kind, long id, String label) {
        Owner o = new Owner(kind, id, label);
        Integer i = index.get(o);
        if (i != null) return i;
        owners.add(o);
        index.put(o, owners.size() - 1);
        return owners.size() - 1;
    }

    int pages() {
        return owner.length;
    }

    /** Page index of a physical address, or -1 outside RAM. */
    int page(long pa) {
        long i = (pa - base) >> 12;
        return pa < base || i >= owner.length ? -1 : (int) i;
    }

    void set(int page, int ownerIndex) {
        owner[page] = ownerIndex;
    }

    /** {"base", "pageSize", "pages", "owners": [{kind, id, label, pages}...], "map": [owner, count, ...]} */
    void write(Json j) {
        j.beginObject().field("base", base).field("pageSize", 4096).field("pages", owner.length);
        int[] held = new int[owners.size()];
        for (int o : owner) held[o]++;
        j.name("owners").beginArray();
        for (int i = 0; i < held.length; i++) {
            Owner o = owners.get(i);
            j.beginObject().field("kind", o.kind);
            if (o.id >= 0) j.field("id", o.id);
            j.field("label", o.label).field("pages", held[i]).endObject();
        }
        j.endArray();
        j.name("map").runs(owner);
        j.endObject();
    }
}
