package io.stampede;

/**
 * Diagnostics (a listener that failed, a container that could not be removed, a guardian that had
 * to be replaced) go to {@link System.Logger}, so code that embeds Stampede decides where they go.
 * Stampede's own command line installs this one-line form for the JDK's logging: each diagnostic is
 * then one line on stderr, {@code stampede: message}, like every other message, and never a stack
 * trace. A format already set ({@code -Djava.util.logging.SimpleFormatter.format=...}) is kept.
 */
public final class ConsoleLog {

    private static final String FORMAT = "java.util.logging.SimpleFormatter.format";

    private ConsoleLog() {
    }

    /** Call first in {@code main}, before anything logs: the JDK reads the format once. */
    public static void install() {
        if (System.getProperty(FORMAT) == null) {
            System.setProperty(FORMAT, "stampede: %5$s%n");
        }
    }
}
