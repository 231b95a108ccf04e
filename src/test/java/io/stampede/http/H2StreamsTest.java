package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.http.H2Connection.H2Stream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A connection's open streams by id: found, ended, forgotten in any order, however many. */
class H2StreamsTest {

    private final H2Streams streams = new H2Streams();
    private int nextId = 1;

    private H2Stream open() {
        H2Stream stream = new H2Stream(streams, nextId, 1_000, 65_535, false);
        nextId += 2;
        streams.add(stream);
        return stream;
    }

    @Test
    void aBatchOfHundredsIsFoundByIdAndEndsInAnyOrder() {
        H2Stream first = open(); // one before the batch, answered
        first.finish();
        streams.remove(first);
        List<H2Stream> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(open());
        }
        assertThat(streams.size()).isEqualTo(300);
        assertThat(streams.active()).isEqualTo(300);
        for (H2Stream stream : batch) {
            assertThat(streams.get(stream.id)).isSameAs(stream);
        }
        assertThat(streams.get(first.id)).isNull();
        assertThat(streams.get(nextId)).isNull(); // not opened yet
        Collections.shuffle(batch, new Random(18));
        for (int i = 0; i < batch.size(); i++) {
            H2Stream stream = batch.get(i);
            stream.finish();
            stream.finish(); // ends once
            assertThat(streams.active()).isEqualTo(300 - i - 1);
            assertThat(streams.get(stream.id)).isSameAs(stream); // until its response is taken
            streams.remove(stream);
            assertThat(streams.get(stream.id)).isNull();
        }
        assertThat(streams.isEmpty()).isTrue();
        assertThat(streams.active()).isZero();
    }

    @Test
    void anOldStreamStillUnderWayIsKeptAndAnEndedOneIsDroppedWhenANewIdLandsOnItsSlot() {
        H2Stream slow = open(); // under way while the user's next requests come and go
        int capacity = streams.capacity();
        for (int i = 0; i < 4 * capacity; i++) {
            H2Stream quick = open();
            quick.finish();
            streams.remove(quick);
        }
        assertThat(streams.get(slow.id)).isSameAs(slow); // the table grew around it rather than lose it
        assertThat(streams.capacity()).isGreaterThan(capacity);
        assertThat(streams.active()).isEqualTo(1);

        H2Streams other = new H2Streams();
        H2Stream ended = new H2Stream(other, 1, 1_000, 65_535, false);
        other.add(ended);
        ended.finish(); // ended, its response not taken yet: it needs no look-up by id any more
        for (int id = 3; id < 2 * 4 * capacity; id += 2) {
            H2Stream quick = new H2Stream(other, id, 1_000, 65_535, false);
            other.add(quick);
            quick.finish();
            other.remove(quick);
        }
        assertThat(other.capacity()).isEqualTo(capacity); // dropped, not grown around
        assertThat(other.get(1)).isNull();
        assertThat(other.active()).isZero();
    }

    @Test
    void aStreamForgottenBeforeItEndedNoLongerCountsAndItsEndIsNotCountedTwice() {
        H2Stream a = open();
        H2Stream b = open();
        streams.remove(a); // as when its request headers could not be encoded
        assertThat(streams.active()).isEqualTo(1);
        a.finish();
        assertThat(streams.active()).isEqualTo(1);
        List<Integer> seen = new ArrayList<>();
        streams.forEach(s -> seen.add(s.id));
        assertThat(seen).containsExactly(b.id);
    }
}
