package io.stampede.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** {@code promtool check metrics} (Debian's prometheus package, which run-tests installs) on an exposition. */
public final class Promtool {

    private static final long LIMIT_SECONDS = 60;

    private Promtool() {
    }

    /** Whether a command of that name is on the PATH. */
    public static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    public static boolean installed() {
        return onPath("promtool");
    }

    /** What promtool says about the text: empty when it passes, else its output and exit code. */
    public static String check(String exposition) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            return "promtool did not end within " + LIMIT_SECONDS + " s";
        }
        return promtool.exitValue() == 0 ? "" : "exit " + promtool.exitValue() + ": " + out;
    }
}
