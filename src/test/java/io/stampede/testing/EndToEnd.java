package io.stampede.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An end-to-end test (JUnit tag {@value #TAG}): it starts real processes (Stampede, targets, gunicorn,
 * a guardian), containers or a browser, or lasts real seconds by design (a run of a few seconds).
 * {@code ./run-tests} runs it; the unit part ({@code ./run-tests --unit}, {@code mvn test -Punit})
 * leaves it out, as it does the classes named {@code *EndToEndTest}, {@code *BrowserTest},
 * {@code Container*Test} and those under {@code docker/}. On a class, or on the slow methods of a
 * class whose other tests are quick.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(EndToEnd.TAG)
public @interface EndToEnd {

    /** The tag the unit profile excludes ({@code excludedGroups} in pom.xml). */
    String TAG = "e2e";
}
