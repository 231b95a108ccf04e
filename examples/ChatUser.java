import io.stampede.api.EventStream;
import io.stampede.api.Message;
import io.stampede.api.Reply;
import io.stampede.api.Sequential;
import io.stampede.api.Task;
import io.stampede.api.User;
import io.stampede.api.WaitTime;
import io.stampede.api.WebSocket;
import java.time.Duration;

/**
 * WebSocket and server-sent-event users, in turn: chat opens a socket, sends two messages and times
 * each reply (WS send:hello, WS send:ping), then closes; feed reads two events of a stream
 * (SSE event:/events). Failed handshakes, reply timeouts and drops are failures.
 *
 *   ./stampede run -f examples/ChatUser.java -H http://127.0.0.1:8080 -u 10 -t 30s --headless
 */
@Sequential
public class ChatUser extends User {

    private int id;

    @Override
    public WaitTime waitTime() {
        return WaitTime.constant(Duration.ofMillis(100));
    }

    @Task(order = 1)
    public void chat() {
        try (WebSocket ws = http().websocket("/echo").timeout(Duration.ofSeconds(5))) {
            Message hello = ws.request("hello", "hello");                     // the next message is the reply
            if (!hello.ok()) {
                return;                                                       // recorded already
            }
            int n = ++id;
            ws.request("ping", "{\"id\":" + n + "}", Reply.jsonField("/id", String.valueOf(n)));
        }
    }

    @Task(order = 2)
    public void feed() {
        try (EventStream events = http().events("/events")) {
            events.next();
            events.next();
        }
    }
}
