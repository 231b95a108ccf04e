package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.testing.EndToEnd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./stampede launcher: finds a JDK 21+ or says what to install. */
@EndToEnd
class LauncherTest {

    @TempDir
    Path dir;

    @Test
    void withoutAJdk21ItSaysWhatToInstallAndExitsWith2() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "stampede", "--version")
                .redirectErrorStream(true);
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", dir.toString() + ":/usr/bin:/bin"); // the machine's default java, if any, is older
        builder.environment().put("STAMPEDE_JVM_DIR", dir.resolve("no-jdks").toString());
        Files.writeString(dir.resolve("java"), "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        dir.resolve("java").toFile().setExecutable(true);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("needs a JDK 21 or newer").contains("apt-get install");
    }
}
