package xv6j.exo;

/**
 * A secure binding: page table entry va of env maps the page of cap, which is one of
 * env's own capabilities. It lives exactly as long as the capability.
 */
record Mapping(Env env, long va, Cap cap) {}
