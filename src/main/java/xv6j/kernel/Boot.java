package xv6j.kernel;

/** Boots the xv6 kernel on a disk image: `java -jar kernel.jar [options] fs.img`. */
public final class Boot {
    private Boot() {}

    public static void main(String[] args) {
        System.err.println("xv6j: the kernel is not built yet");
        System.exit(1);
    }
}
