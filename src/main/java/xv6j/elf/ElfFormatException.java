package xv6j.elf;

/** The bytes are not an ELF executable this machine can run; the message says why, in one line. */
public final class ElfFormatException extends Exception {
    public ElfFormatException(String message) { super(message); }
}
