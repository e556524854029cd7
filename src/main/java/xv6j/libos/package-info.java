/**
 * What the tools know of the standard LibOS (user/libos), to show a person what runs on
 * kernel-exo: the console's monitor (Ctrl-A c) and the live view read a process's pid
 * and program name from the LibOS's own memory, as a debugger would.
 *
 * <p>The LibOS is C; nothing here runs it or is run by it, and nothing kernel-exo decides
 * depends on this: the exokernel knows environments, capabilities and pages, and no
 * names. Its messages borrow these names, as a debugger's would, and keep the
 * environment's id beside them. A LibOS other than the standard one runs the same, and
 * only goes unnamed.
 *
 * <pre>
 *   Uproc   the LibOS's hand-off (struct uproc): a process's pid and name
 * </pre>
 */
package xv6j.libos;
