package io.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.frames.WindowUpdateFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/2 connection's framing and bookkeeping against a scripted service ({@link H2Peer}) on a real socket. */
class H2ConnectionTest {

    private static final long MAX_BODY = 10L * 1024 * 1024;
    private static final int DATA = 0x0;
    private static final int PADDED = 0x8;
    private static final int END_STREAM = 0x1;

    private H2Peer peer;
    private H2Connection connection;

    @BeforeEach
    void connect() throws Exception {
        peer = new H2Peer();
        Socket socket = peer.connect();
        connection = new H2Connection(socket, false);
        SettingsFrame settings = peer.next(SettingsFrame.class);
        assertThat(settings.getSettings()).containsEntry(SettingsFrame.ENABLE_PUSH, 0)
                .containsEntry(SettingsFrame.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE);
        assertThat(peer.next(WindowUpdateFrame.class).getWindowDelta()).isEqualTo(Integer.MAX_VALUE - 65_535);
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
        peer.close();
    }

    private H2Connection.H2Stream get(String path) throws Exception {
        RequestHead head = new RequestHead();
        head.start("GET", path);
        head.set("Accept", "*/*");
        return connection.start("GET", "localhost", path, head, null, MAX_BODY);
    }

    @Test
    void aLargeResponseInManyDataFramesSomePaddedIsReadWhole() throws Exception {
        H2Connection.H2Stream stream = get("/big");
        HeadersFrame request = peer.next(HeadersFrame.class);
        assertThat(((MetaData.Request) request.getMetaData()).getHttpURI().getPathQuery()).isEqualTo("/big");
        assertThat(request.isEndStream()).isTrue();
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        peer.send(H2Peer.response(stream.id, 200, false, HttpFields.build().add("Set-Cookie", "a=b")));
        peer.send(new DataFrame(stream.id, ByteBuffer.wrap(body, 0, 200_000), false)); // 13 frames of up to 16 KiB
        // a padded frame, which Jetty's generator does not make: 1 byte of pad length, the data, 10 bytes of pad
        int rest = body.length - 200_000;
        int chunk = 10_000;
        for (int at = 200_000; at < body.length; at += chunk) {
            boolean last = at + chunk >= body.length;
            peer.raw(H2Peer.concat(H2Peer.frameHeader(1 + chunk + 10, DATA, PADDED | (last ? END_STREAM : 0), stream.id),
                    new byte[] {10}, Arrays.copyOfRange(body, at, at + chunk), new byte[10]));
        }
        assertThat(rest % chunk).isZero();
        H2Connection.H2Response response = connection.await(stream);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.fields()).extracting(HttpField::getValue).contains("a=b");
        assertThat(stream.sentNanos).isLessThanOrEqualTo(stream.firstByteNanos);
        assertThat(stream.firstByteNanos).isLessThanOrEqualTo(stream.endNanos);
    }

    @Test
    void aRequestBodyWaitsForTheServicesWindowUpdates() throws Exception {
        peer.send(new SettingsFrame(Map.of(SettingsFrame.INITIAL_WINDOW_SIZE, 1000), false));
        byte[] upload = new byte[5000];
        Arrays.fill(upload, (byte) 'x');
        // the connection reads the SETTINGS while it waits for the first response, so a GET goes first
        H2Connection.H2Stream first = get("/first");
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(first.id, 204, true, HttpFields.EMPTY));
        connection.await(first);
        assertThat(peer.next(SettingsFrame.class).isReply()).isTrue();
        CompletableFuture<H2Connection.H2Stream> post = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> { // start() blocks, reading, while the windows are shut
            try {
                RequestHead head = new RequestHead();
                head.start("POST", "/upload");
                post.complete(connection.start("POST", "localhost", "/upload", head, upload, MAX_BODY));
            } catch (Exception e) {
                post.completeExceptionally(e);
            }
        });
        HeadersFrame headers = peer.next(HeadersFrame.class);
        assertThat(headers.isEndStream()).isFalse();
        int received = 0;
        while (received < 1000) {
            received += peer.next(DataFrame.class).remaining();
        }
        assertThat(received).isEqualTo(1000); // the stream's window, no more
        assertThat(post).isNotDone();
        peer.send(new WindowUpdateFrame(headers.getStreamId(), 4000));
        DataFrame data;
        do {
            data = peer.next(DataFrame.class);
            received += data.remaining();
        } while (!data.isEndStream());
        assertThat(received).isEqualTo(upload.length);
        H2Connection.H2Stream stream = post.get(30, TimeUnit.SECONDS);
        peer.send(H2Peer.response(stream.id, 201, true, HttpFields.EMPTY));
        assertThat(connection.await(stream).status()).isEqualTo(201);
    }

    @Test
    void theServicesSettingsApplyWheneverTheyComeAndAreAcknowledged() throws Exception {
        H2Connection.H2Stream first = get("/one");
        peer.next(HeadersFrame.class);
        // more settings keys over the connection's life than Jetty's parser allows by default (64)
        SettingsFrame[] many = new SettingsFrame[40];
        Arrays.fill(many, new SettingsFrame(Map.of(SettingsFrame.MAX_CONCURRENT_STREAMS, 100,
                SettingsFrame.HEADER_TABLE_SIZE, 0), false));
        peer.send(many);
        peer.send(new SettingsFrame(Map.of(SettingsFrame.MAX_CONCURRENT_STREAMS, 1,
                SettingsFrame.MAX_FRAME_SIZE, 32 * 1024), false));
        peer.send(H2Peer.response(first.id, 200, true, HttpFields.EMPTY));
        assertThat(connection.await(first).status()).isEqualTo(200);
        for (int i = 0; i < 41; i++) {
            assertThat(peer.next(SettingsFrame.class).isReply()).isTrue();
        }
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.canStart()).isTrue();
        H2Connection.H2Stream second = get("/two");
        assertThat(connection.canStart()).isFalse(); // one stream at a time now
        HeadersFrame request = peer.next(HeadersFrame.class); // decoded with an empty dynamic table
        assertThat(((MetaData.Request) request.getMetaData()).getHttpURI().getPathQuery()).isEqualTo("/two");
        peer.send(H2Peer.response(second.id, 200, true, HttpFields.EMPTY));
        connection.await(second);
        assertThat(connection.canStart()).isTrue();
    }

    @Test
    void streamsPastTheServicesLimitWaitForOneToEndAndAnswersFindTheirStreamsInAnyOrder() throws Exception {
        peer.send(new SettingsFrame(Map.of(SettingsFrame.MAX_CONCURRENT_STREAMS, 3), false));
        H2Connection.H2Stream first = get("/first");
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(first.id, 200, true, HttpFields.EMPTY));
        connection.await(first); // reads the settings on the way
        List<H2Connection.H2Stream> batch = new ArrayList<>();
        while (connection.canStart()) {
            batch.add(get("/batch"));
        }
        assertThat(batch).hasSize(3);
        for (int i = 0; i < 3; i++) {
            peer.next(HeadersFrame.class);
        }
        H2Connection.H2Stream middle = batch.get(1);
        peer.send(H2Peer.response(middle.id, 200, false, HttpFields.EMPTY),
                new DataFrame(middle.id, ByteBuffer.wrap(("s" + middle.id).getBytes(StandardCharsets.US_ASCII)), true));
        assertThat(connection.awaitRoom()).isTrue(); // the middle one ended: room for one more
        assertThat(middle.done).isTrue();
        assertThat(batch.get(0).done || batch.get(2).done).isFalse();
        batch.add(get("/batch"));
        assertThat(connection.canStart()).isFalse();
        peer.next(HeadersFrame.class);
        for (H2Connection.H2Stream stream : List.of(batch.get(3), batch.get(2), batch.get(0))) { // last first
            peer.send(H2Peer.response(stream.id, 200, false, HttpFields.EMPTY),
                    new DataFrame(stream.id, ByteBuffer.wrap(("s" + stream.id).getBytes(StandardCharsets.US_ASCII)), true));
        }
        for (H2Connection.H2Stream stream : batch) {
            assertThat(new String(connection.await(stream).body(), StandardCharsets.US_ASCII)).isEqualTo("s" + stream.id);
        }
        assertThat(connection.canStart()).isTrue();
    }

    @Test
    void beforeTheServicesSettingsAHundredStreamsMayBeOpenAndSettingsWithoutALimitLiftIt() throws Exception {
        List<H2Connection.H2Stream> batch = new ArrayList<>();
        while (connection.canStart() && batch.size() <= H2Connection.STREAMS_BEFORE_SETTINGS) {
            batch.add(get("/early"));
        }
        assertThat(batch).hasSize(H2Connection.STREAMS_BEFORE_SETTINGS);
        peer.send(new SettingsFrame(Map.of(SettingsFrame.INITIAL_WINDOW_SIZE, 1 << 20), false));
        assertThat(connection.awaitRoom()).isTrue(); // no limit named: none
        assertThat(peer.next(SettingsFrame.class).isReply()).isTrue();
        for (int i = 0; i < 50; i++) {
            batch.add(get("/early"));
        }
        assertThat(connection.canStart()).isTrue();
        for (H2Connection.H2Stream stream : batch) {
            peer.send(H2Peer.response(stream.id, 204, true, HttpFields.EMPTY));
        }
        for (H2Connection.H2Stream stream : batch) {
            assertThat(connection.await(stream).status()).isEqualTo(204);
        }
    }

    @Test
    void waitingForRoomEndsWhenTheConnectionDoes() throws Exception {
        peer.send(new SettingsFrame(Map.of(SettingsFrame.MAX_CONCURRENT_STREAMS, 1), false));
        H2Connection.H2Stream first = get("/first");
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(first.id, 200, true, HttpFields.EMPTY));
        connection.await(first);
        H2Connection.H2Stream stuck = get("/stuck");
        peer.next(HeadersFrame.class);
        assertThat(connection.canStart()).isFalse();
        peer.closeSocket();
        assertThat(connection.awaitRoom()).isFalse();
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.await(stuck)).isInstanceOf(Http1Connection.NoResponse.class);
    }

    @Test
    void headerBlocksLargerThanAFrameGoInContinuationFramesBothWays() throws Exception {
        String big = "v".repeat(40_000); // above 16 KiB even compressed: HEADERS and CONTINUATION frames
        RequestHead head = new RequestHead();
        head.start("GET", "/cookies");
        head.set("X-Big", big);
        H2Connection.H2Stream stream = connection.start("GET", "localhost", "/cookies", head, null, MAX_BODY);
        HeadersFrame request = peer.next(HeadersFrame.class);
        assertThat(request.getMetaData().getHttpFields().get("X-Big")).isEqualTo(big);
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < 30; i++) {
            fields.add("Set-Cookie", "c" + i + "=" + "w".repeat(1000) + i);
        }
        peer.send(H2Peer.response(stream.id, 200, false, fields));
        peer.send(new DataFrame(stream.id, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), true));
        H2Connection.H2Response response = connection.await(stream);
        assertThat(response.fields()).filteredOn(f -> f.getName().equalsIgnoreCase("set-cookie")).hasSize(30);
        assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
    }

    @Test
    void aResetStreamIsANamedFailureAndARefusedOneMaySafelyGoAgain() throws Exception {
        H2Connection.H2Stream reset = get("/reset");
        H2Connection.H2Stream refused = get("/refused");
        peer.next(HeadersFrame.class);
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(reset.id, 200, false, HttpFields.EMPTY),
                new ResetFrame(reset.id, ErrorCode.INTERNAL_ERROR.code),
                new ResetFrame(refused.id, ErrorCode.REFUSED_STREAM_ERROR.code));
        assertThatThrownBy(() -> connection.await(reset)).isInstanceOf(H2Connection.StreamReset.class)
                .hasMessage("INTERNAL_ERROR");
        assertThatThrownBy(() -> connection.await(refused)).isInstanceOf(H2Connection.StreamReset.class)
                .hasMessage("REFUSED_STREAM");
        assertThat(reset.unprocessed).isFalse();
        assertThat(refused.unprocessed).isTrue(); // refused before any processing: may go again
        assertThat(connection.isOpen()).isTrue(); // the connection goes on
        H2Connection.H2Stream after = get("/after");
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(after.id, 200, true, HttpFields.EMPTY));
        assertThat(connection.await(after).status()).isEqualTo(200);
    }

    @Test
    void goAwayFailsTheStreamsTheServiceNeverProcessedAndEndsTheConnection() throws Exception {
        H2Connection.H2Stream processed = get("/a");
        H2Connection.H2Stream notProcessed = get("/b");
        peer.next(HeadersFrame.class);
        peer.next(HeadersFrame.class);
        peer.send(new PingFrame(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, false),
                new GoAwayFrame(processed.id, ErrorCode.NO_ERROR.code, null),
                H2Peer.response(processed.id, 200, true, HttpFields.EMPTY));
        assertThat(connection.await(processed).status()).isEqualTo(200);
        assertThat(connection.isOpen()).isFalse(); // no new streams here
        assertThatThrownBy(() -> connection.await(notProcessed)).isInstanceOf(Http1Connection.NoResponse.class);
        assertThat(notProcessed.unprocessed).isTrue();
        PingFrame pong = peer.next(PingFrame.class);
        assertThat(pong.isReply()).isTrue();
        assertThat(pong.getPayload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void onlyStreamsTheServiceDidNotProcessGoAgainAndOnlyWhileItAnswersOthers() throws Exception {
        H2Connection.H2Stream answered = get("/answered");
        H2Connection.H2Stream refused = get("/refused");
        H2Connection.H2Stream refusedMidResponse = get("/refused-mid-response");
        H2Connection.H2Stream cancelled = get("/cancelled");
        H2Connection.H2Stream belowGoAway = get("/below-go-away");
        H2Connection.H2Stream aboveGoAway = get("/above-go-away");
        for (int i = 0; i < 6; i++) {
            peer.next(HeadersFrame.class);
        }
        peer.send(H2Peer.response(answered.id, 200, true, HttpFields.EMPTY),
                new ResetFrame(refused.id, ErrorCode.REFUSED_STREAM_ERROR.code),
                H2Peer.response(refusedMidResponse.id, 200, false, HttpFields.EMPTY),
                new ResetFrame(refusedMidResponse.id, ErrorCode.REFUSED_STREAM_ERROR.code), // some of it came: processed
                new ResetFrame(cancelled.id, ErrorCode.CANCEL_STREAM_ERROR.code),
                new GoAwayFrame(belowGoAway.id, ErrorCode.NO_ERROR.code, null));
        connection.awaitEnd(aboveGoAway);
        assertThat(belowGoAway.done).isFalse(); // the service may still answer it
        peer.closeSocket(); // it does not: ended without a word, it may have been processed
        connection.awaitEnd(belowGoAway);
        Map<String, H2Connection.H2Stream> streams = Map.of("answered", answered, "refused", refused,
                "refusedMidResponse", refusedMidResponse, "cancelled", cancelled, "belowGoAway", belowGoAway,
                "aboveGoAway", aboveGoAway);
        List<String> again = new ArrayList<>();
        streams.forEach((name, stream) -> {
            if (new H2Resends().resend(connection, stream)) {
                again.add(name);
            }
        });
        assertThat(again).containsExactlyInAnyOrder("refused", "aboveGoAway");
        assertThat(belowGoAway.failure).isInstanceOf(Http1Connection.NoResponse.class);
    }

    @Test
    void aStreamRefusedWhileNoOtherIsAnsweredGoesAgainOnceMore() throws Exception {
        H2Resends resends = new H2Resends();
        H2Connection.H2Stream first = get("/refused");
        peer.next(HeadersFrame.class);
        peer.send(new ResetFrame(first.id, ErrorCode.REFUSED_STREAM_ERROR.code));
        connection.awaitEnd(first);
        assertThat(resends.resend(connection, first)).isTrue(); // the one attempt without progress
        H2Connection.H2Stream second = get("/refused");
        H2Connection.H2Stream other = get("/answered");
        peer.next(HeadersFrame.class);
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(other.id, 200, true, HttpFields.EMPTY),
                new ResetFrame(second.id, ErrorCode.REFUSED_STREAM_ERROR.code));
        connection.awaitEnd(second);
        connection.awaitEnd(other);
        assertThat(resends.resend(connection, second)).isTrue(); // another stream was answered meanwhile: progress
        H2Connection.H2Stream third = get("/refused");
        peer.next(HeadersFrame.class);
        peer.send(new ResetFrame(third.id, ErrorCode.REFUSED_STREAM_ERROR.code));
        connection.awaitEnd(third);
        assertThat(resends.resend(connection, third)).isFalse(); // none answered since, and the one attempt is used
    }

    @Test
    void aFrameAboveTheMaximumSizeIsAMalformedResponseAndAGoAway() throws Exception {
        H2Connection.H2Stream stream = get("/huge-frame");
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(stream.id, 200, false, HttpFields.EMPTY));
        peer.raw(H2Peer.concat(H2Peer.frameHeader(20_000, DATA, 0, stream.id), new byte[20_000]));
        assertThatThrownBy(() -> connection.await(stream)).isInstanceOf(Http1Connection.Malformed.class)
                .hasMessage("HTTP/2 frame_size_error: invalid_frame_length");
        assertThat(peer.next(GoAwayFrame.class).getError()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR.code);
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void aBodyOverTheLimitCancelsItsStreamAndKeepsTheConnection() throws Exception {
        RequestHead head = new RequestHead();
        head.start("GET", "/too-big");
        H2Connection.H2Stream stream = connection.start("GET", "localhost", "/too-big", head, null, 1000);
        peer.next(HeadersFrame.class);
        peer.send(H2Peer.response(stream.id, 200, false, HttpFields.EMPTY),
                new DataFrame(stream.id, ByteBuffer.wrap(new byte[5000]), true));
        assertThatThrownBy(() -> connection.await(stream)).isInstanceOf(Http1Connection.BodyTooLarge.class);
        assertThat(peer.next(ResetFrame.class).getError()).isEqualTo(ErrorCode.CANCEL_STREAM_ERROR.code);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void theConnectionClosedBeforeAnyResponseIsNoResponse() throws Exception {
        H2Connection.H2Stream stream = get("/gone");
        peer.next(HeadersFrame.class);
        peer.closeSocket();
        assertThatThrownBy(() -> connection.await(stream)).isInstanceOf(Http1Connection.NoResponse.class);
        assertThat(connection.isOpen()).isFalse();
    }
}
