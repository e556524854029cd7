/**
 * The live view ({@code make qemu VIEW=1}, the jars' {@code --view}): a page on
 * http://127.0.0.1:6828/ showing the running machine, pushed to the browser a few times a
 * second. docs/view.md describes the page and its JSON.
 *
 * <pre>
 *   ViewServer   the web server: the page, /snapshot.json, /events (server-sent events);
 *                ViewServer.start is what the launchers call
 *   Sampler      one snapshot: the kernel's part, the disk, the console
 *   Xv6Part      xv6: harts, memory by owner, processes, system calls
 *   ExoPart      kernel-exo: harts, memory by owner, environments, capabilities, events
 *   DiskMap      the disk by role and by file, read from the image as fsck reads it
 *   ConsoleTail  the console's last output
 * </pre>
 */
package xv6j.view;
