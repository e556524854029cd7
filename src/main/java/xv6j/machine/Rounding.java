package xv6j.machine;

/**
 * The five IEEE 754 rounding directions RISC-V offers, in the order of their 3-bit rm
 * encoding (RNE = 000 ... RMM = 100).
 */
enum Rounding {
    /** To nearest, ties to even. */
    RNE,
    /** Toward zero. */
    RTZ,
    /** Down, toward -infinity. */
    RDN,
    /** Up, toward +infinity. */
    RUP,
    /** To nearest, ties away from zero (to max magnitude). */
    RMM;

    private static final Rounding[] BY_CODE = values();

    /**
     * The mode an instruction's rm field selects, given the dynamic mode in fcsr; null if
     * the encoding is reserved: a static 101 or 110, or DYN (111) while frm holds 101-111.
     */
    static Rounding of(int rm, int fcsr) {
        int code = rm == 7 ? (fcsr >>> 5) & 7 : rm;
        return code < 5 ? BY_CODE[code] : null;
    }
}
