package io.stampede.engine;

import io.stampede.api.EventStream;
import io.stampede.api.HttpSession;
import io.stampede.api.Reply;
import io.stampede.api.ServerEvent;
import io.stampede.api.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a plan's {@code websocket:} and {@code sse:} tasks do, through the same API a Java scenario uses. */
final class DeclaredStreams {

    private DeclaredStreams() {
    }

    /** Opens the socket, exchanges the messages in order while it stays open, closes it. */
    static void exchange(HttpSession http, Scenario.SocketSpec spec) {
        try (WebSocket ws = http.websocket(spec.path(), spec.name())) {
            if (spec.timeout() != null) {
                ws.timeout(spec.timeout());
            }
            for (Scenario.SocketMessage message : spec.messages()) {
                if (!ws.isOpen()) {
                    return; // the failed handshake or the drop is recorded already; the rest could not be sent
                }
                Reply reply = reply(message.reply());
                if (message.timeout() != null) {
                    reply = reply.within(message.timeout());
                }
                if (message.send() == null) {
                    ws.expect(message.name(), reply);
                } else {
                    ws.request(message.name(), message.send(), reply);
                }
            }
        }
    }

    /** Subscribes, reads the events, waits for the {@code until} type if any, closes. */
    static void subscribe(HttpSession http, Scenario.EventsSpec spec) {
        try (EventStream stream = http.events(spec.path(), spec.name())) {
            if (spec.timeout() != null) {
                stream.timeout(spec.timeout());
            }
            for (int i = 0; i < spec.events() && stream.isOpen(); i++) {
                ServerEvent event = stream.next();
                if (!event.ok()) {
                    return;
                }
            }
            if (spec.until() != null && stream.isOpen()) {
                stream.await(spec.until());
            }
        }
    }

    static Reply reply(Scenario.ReplySpec spec) {
        List<Reply> all = new ArrayList<>();
        if (spec.contains() != null) {
            all.add(Reply.containing(spec.contains()));
        }
        for (Map.Entry<String, String> field : spec.json().entrySet()) {
            all.add(Reply.jsonField(field.getKey(), field.getValue()));
        }
        if (all.isEmpty()) {
            return Reply.next();
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        List<String> described = all.stream().map(Reply::describe).toList();
        return new Reply(String.join(" and ", described), text -> all.stream().allMatch(r -> r.matches(text)), null);
    }
}
