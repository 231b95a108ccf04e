package io.stampede.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where the uPlot webjar keeps its files, for the HTML report and the live page. The version is read
 * from the webjar's own {@code pom.properties}, so pom.xml is the one place that names it.
 */
public final class UPlot {

    private static final String POM_PROPERTIES = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** The folder of uPlot's built files, e.g. {@code /META-INF/resources/webjars/uplot/1.6.30/dist/}. */
    public static final String DIST = "/META-INF/resources/webjars/uplot/" + version() + "/dist/";

    private UPlot() {
    }

    private static String version() {
        try (InputStream in = UPlot.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + POM_PROPERTIES);
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
