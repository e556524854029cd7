// The integer types of the LibOS's own code. The same names and types as user.h, so a
// file may include both (C11 allows a typedef to be repeated), but this header stands
// alone: the file system and the other pure parts are also built into harness tests,
// where user.h does not exist.
#pragma once

typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long uint64;
