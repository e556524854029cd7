// pager is a process of the standard world exactly as kv is, so its start-up and process
// layer are kvlib's (the hand-off, the file server's protocol for exit, descriptors and
// the console, pipes, the slice and fault upcalls), compiled here from kvlib's own files
// rather than copied. What is pager's own is the paging (vm.c), whose upcall handler
// stands in front of kvlib's.
#include "kv/kvlib/start.c"
#include "kv/kvlib/sys.c"
