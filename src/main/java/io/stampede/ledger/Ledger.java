package io.stampede.ledger;

import io.stampede.StampedeException;
import io.stampede.input.Located;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;

/**
 * The budget ledger: one SQLite file that keeps, for every run, what it spent of each SLO's error
 * budget. Several Stampede processes may use one file at once: the file is in WAL mode (readers
 * never wait for a writer), a writer waits up to {@link #BUSY_TIMEOUT_MILLIS} for another, and a
 * run's rows are written in one transaction taken for writing at its start, so a run is recorded
 * whole or not at all and two runs never lose each other's rows.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(new Located<>(Path.of("budget.db"), "--ledger"))) {
 *     ledger.record(entry);
 *     SloBudget left = ledger.budget("availability", Duration.ofDays(30), Instant.now());
 * }
 * }</pre>
 */
public final class Ledger implements AutoCloseable {

    /**
     * How long a writer waits for another to finish: a run's rows take milliseconds to write, so
     * this is only reached by a process stuck holding the file.
     */
    static final int BUSY_TIMEOUT_MILLIS = 30_000;
    /** The schema's version, in SQLite's user_version: a later Stampede can migrate from it. */
    static final int SCHEMA_VERSION = 1;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS runs (
          id TEXT PRIMARY KEY,
          plan TEXT NOT NULL,
          started_ms INTEGER NOT NULL,
          ended_ms INTEGER NOT NULL,
          verdict TEXT NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS spends (
          run_id TEXT NOT NULL REFERENCES runs(id),
          slo TEXT NOT NULL,
          period_s INTEGER NOT NULL,
          objective REAL NOT NULL,
          total INTEGER NOT NULL,
          allowed REAL NOT NULL,
          spent INTEGER NOT NULL,
          PRIMARY KEY (run_id, slo))""",
        "CREATE INDEX IF NOT EXISTS spends_by_slo ON spends (slo)",
        "CREATE INDEX IF NOT EXISTS runs_by_end ON runs (ended_ms)",
    };

    private final Connection connection;
    private final Located<Path> file;

    private Ledger(Connection connection, Located<Path> file) {
        this.connection = connection;
        this.file = file;
    }

    /**
     * Opens the ledger, creating the file and its tables when missing.
     *
     * @throws StampedeException.BadInput when the file cannot be opened or written, or is not a
     *                                    ledger; the message starts with where the file was named
     * @throws StampedeException.CannotRun when another process holds it beyond the busy timeout
     */
    public static Ledger open(Located<Path> file) {
        Path path = file.value();
        if (Files.isDirectory(path)) {
            throw bad(file, "is a directory; a ledger is a file, e.g. budget.db");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL); // with WAL: durable across a process crash
        config.enforceForeignKeys(true);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + path.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                int version = version(statement);
                if (version > SCHEMA_VERSION) {
                    throw bad(file, "was written by a later Stampede (ledger version " + version + ", this one reads "
                            + SCHEMA_VERSION + ")");
                }
                for (String sql : SCHEMA) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            connection.commit();
            return new Ledger(connection, file);
        } catch (SQLException e) {
            closeQuietly(connection);
            int code = e.getErrorCode() & 0xff;
            if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
                // a good file that another process holds: the run cannot be carried out, the input is fine
                throw new StampedeException.CannotRun(file.where() + ": the ledger " + file.value() + " " + why(e), e);
            }
            throw bad(file, why(e));
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static int version(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /**
     * Records a run and what it spent, in one transaction. A run id already in the ledger (two
     * results folders of the same name) gets {@code -2}, {@code -3}, ... Returns the id it got.
     *
     * @throws StampedeException.CannotRun when the ledger cannot be written
     */
    public String record(RunEntry run) {
        try {
            String id = freeId(run.id());
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO runs (id, plan, started_ms, ended_ms, verdict) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, run.plan());
                insert.setLong(3, run.started().toEpochMilli());
                insert.setLong(4, run.ended().toEpochMilli());
                insert.setString(5, run.verdict());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO spends (run_id, slo, period_s, objective, total, allowed, spent) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (SloSpend spend : run.spends()) {
                    insert.setString(1, id);
                    insert.setString(2, spend.slo());
                    insert.setLong(3, spend.period().toSeconds());
                    insert.setDouble(4, spend.objectivePercent());
                    insert.setLong(5, spend.total());
                    insert.setDouble(6, spend.errorBudget());
                    insert.setLong(7, spend.budgetSpent());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
            return id;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StampedeException.CannotRun(file.where() + ": the ledger " + file.value() + " " + why(e)
                    + "; the run was not recorded", e);
        }
    }

    private String freeId(String wanted) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            for (int n = 1; ; n++) {
                String id = n == 1 ? wanted : wanted + "-" + n;
                exists.setString(1, id);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        return id;
                    }
                }
            }
        }
    }

    /** Every SLO the ledger has seen, with the period its newest run recorded for it, by name. */
    public Map<String, Duration> slos() {
        return read(() -> {
            Map<String, Duration> slos = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT s.slo, s.period_s FROM spends s JOIN runs r ON r.id = s.run_id
                    ORDER BY s.slo, r.ended_ms DESC""");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    slos.putIfAbsent(rows.getString(1), Duration.ofSeconds(rows.getLong(2)));
                }
            }
            return slos;
        });
    }

    /**
     * One SLO's budget over the period that ends at {@code now}: the runs that ended in it, newest
     * first, and their sums. The objective shown is the newest run's.
     */
    public SloBudget budget(String slo, Duration period, Instant now) {
        return read(() -> {
            List<SloBudget.Spent> runs = new ArrayList<>();
            double allowed = 0;
            long spent = 0;
            double objective = Double.NaN;
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT r.id, r.ended_ms, r.plan, r.verdict, s.total, s.allowed, s.spent, s.objective
                    FROM spends s JOIN runs r ON r.id = s.run_id
                    WHERE s.slo = ? AND r.ended_ms > ? AND r.ended_ms <= ?
                    ORDER BY r.ended_ms DESC, r.id""")) {
                query.setString(1, slo);
                query.setLong(2, now.minus(period).toEpochMilli());
                query.setLong(3, now.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        SloBudget.Spent run = new SloBudget.Spent(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getString(3), rows.getString(4), rows.getLong(5), rows.getDouble(6), rows.getLong(7));
                        if (Double.isNaN(objective)) {
                            objective = rows.getDouble(8);
                        }
                        runs.add(run);
                        allowed += run.allowed();
                        spent += run.spent();
                    }
                }
            }
            return new SloBudget(slo, period, objective, allowed, spent, runs);
        });
    }

    /** How many runs the ledger holds. */
    public int runCount() {
        return read(() -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM runs")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    /** A read in its own transaction, so it sees one state of the file. */
    private <T> T read(Query<T> query) {
        try {
            T result = query.run();
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new StampedeException.CannotRun(file.where() + ": the ledger " + file.value() + " " + why(e)
                    + "; it could not be read", e);
        }
    }

    /** SQLite's reason in words, without the driver's codes: "is not a SQLite database ...". */
    static String why(SQLException e) {
        int code = e.getErrorCode() & 0xff; // extended codes carry the primary code in their low byte
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return "is not a SQLite database (a ledger is a file Stampede made, e.g. budget.db)";
        }
        if (code == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return "cannot be opened or created (does its folder exist, and may it be written?)";
        }
        if (code == SQLiteErrorCode.SQLITE_READONLY.code || code == SQLiteErrorCode.SQLITE_PERM.code) {
            return "cannot be written (read-only file or folder)";
        }
        if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return "is held by another process for more than " + BUSY_TIMEOUT_MILLIS / 1000 + " s";
        }
        if (code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return "is damaged (the database file is malformed)";
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return "cannot be used: " + message.replaceFirst("^\\[SQLITE_\\w+\\]\\s*", "");
    }

    private static StampedeException.BadInput bad(Located<Path> file, String why) {
        return new StampedeException.BadInput(file.where() + ": the ledger " + file.value() + " " + why);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is closed or broken: nothing was committed
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to release on a connection that failed to open
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
