package io.stampede.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines a coordinator and its worker processes exchange, one JSON object per line: the
 * coordinator writes to a worker's stdin, the worker to its stdout (its stderr is the user's).
 *
 * <pre>
 * worker → coordinator   {"ready": true}                                  compiled, waiting for go
 *                        {"interval": {IntervalCodec}, "errors": {...}}    each second, and a last one
 *                        {"done": true}                                   its run is over
 * coordinator → worker   {"go": {"host": ..., "load": {...}, "runTimeMillis": ...}}
 *                        {"users": 12, "spawnRate": 2.5}                  this worker's part of a change
 *                        {"stop": true}                                   (end of input means stop too)
 * </pre>
 */
final class WorkerProtocol {

    static final ObjectMapper JSON = new ObjectMapper();

    private WorkerProtocol() {
    }

    static String line(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a tree of strings and numbers always serializes
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectNode go(String host, LoadModel load, Optional<Duration> runTime) {
        ObjectNode go = object();
        ObjectNode body = go.putObject("go").put("host", host);
        body.set("load", load(load));
        runTime.ifPresent(t -> body.put("runTimeMillis", t.toMillis()));
        return go;
    }

    static ObjectNode interval(io.stampede.stats.IntervalStats interval, Map<String, Long> errors) {
        ObjectNode line = object();
        line.set("interval", io.stampede.stats.IntervalCodec.encode(interval, JSON));
        ObjectNode counts = line.putObject("errors");
        errors.forEach(counts::put);
        return line;
    }

    static ObjectNode load(LoadModel model) {
        ObjectNode node = object();
        switch (model) {
            case LoadModel.Closed c -> {
                node.put("model", "closed").put("users", c.users()).put("spawnRate", c.spawnRate());
                ArrayNode stages = node.putArray("stages");
                c.stages().forEach(s -> stages.addObject().put("millis", s.duration().toMillis()).put("users", s.users())
                        .put("spawnRate", s.spawnRate()));
            }
            case LoadModel.Open o -> {
                node.put("model", "open").put("arrivalRate", o.arrivalRate()).put("maxConcurrency", o.maxConcurrency())
                        .put("preAllocated", o.preAllocated());
                ArrayNode stages = node.putArray("stages");
                o.stages().forEach(s -> stages.addObject().put("millis", s.duration().toMillis()).put("arrivalRate", s.arrivalRate()));
            }
        }
        return node;
    }

    static LoadModel load(JsonNode node) {
        if ("open".equals(node.path("model").asText())) {
            List<LoadModel.RateStage> stages = new ArrayList<>();
            node.path("stages").forEach(s -> stages.add(new LoadModel.RateStage(Duration.ofMillis(s.path("millis").asLong()),
                    s.path("arrivalRate").asDouble())));
            return new LoadModel.Open(node.path("arrivalRate").asDouble(), stages, node.path("maxConcurrency").asInt(),
                    node.path("preAllocated").asInt());
        }
        List<LoadModel.Stage> stages = new ArrayList<>();
        node.path("stages").forEach(s -> stages.add(new LoadModel.Stage(Duration.ofMillis(s.path("millis").asLong()),
                s.path("users").asInt(), s.path("spawnRate").asDouble())));
        return new LoadModel.Closed(node.path("users").asInt(), node.path("spawnRate").asDouble(), stages);
    }
}
