// A RAM disk for the file-system tests, with a write cache and a power switch: after
// crash_after more block writes, writes are lost, as if the machine had stopped there;
// then ram_crash decides which of the writes still in the cache (those since the last
// disk_flush) reached the disk, as crash_keeps says. A real disk may keep any of them, in
// any order; the modes cover the orders a careless log could not survive.
#pragma once

#include "libos/fs/fs.h"

#define RAMBLOCKS 320

extern uchar ramdisk[RAMBLOCKS][BSIZE];
extern long ram_writes;         // block writes so far
extern long crash_after;        // writes still allowed before the "crash"; -1: never
extern int crash_keeps;         // KEEP_*: which cached writes a crash keeps

enum { KEEP_NONE, KEEP_ALL, KEEP_NEWEST, KEEP_ALL_BUT_OLDEST, KEEP_ODD, KEEP_MODES };

// The power comes back: the cached writes crash_keeps does not keep are undone, and the
// disk runs normally again (crash_after = -1).
void ram_crash(void);

// Makes an empty xv6 file system of nblocks blocks and ninodes inodes on the RAM disk:
// the layout of mkfs (SuperBlock.layout), a root directory holding "." and "..".
void ram_mkfs(uint nblocks, uint ninodes);

// Starts the file system afresh on whatever the RAM disk holds, as a boot would: empties
// the buffer cache and the inode table, mounts (recovering the log). Returns fs_mount's
// result; ram_why says why it failed.
int ram_boot(void);
extern const char *ram_why;

// Checks the file system's invariants as fsck does, from the disk alone: every inode's
// link count matches the directory entries naming it (dirs: not counting "."), every
// block an inode uses is marked in the bitmap and used once, every marked data block is
// used. Returns the number of problems, printing each.
int ram_fsck(void);

// Free data blocks and free inodes, counted on the disk.
int ram_freeblocks(void);
int ram_freeinodes(void);
