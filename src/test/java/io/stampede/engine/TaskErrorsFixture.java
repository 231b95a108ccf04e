package io.stampede.engine;

/** Task exceptions recorded as a running user records them, for tests outside the engine. */
public final class TaskErrorsFixture {

    private TaskErrorsFixture() {
    }

    public static TaskErrors with(String userType, String task, Throwable error, int times) {
        TaskErrors errors = new TaskErrors();
        for (int i = 0; i < times; i++) {
            errors.record(userType, task, error);
        }
        return errors;
    }

    public static void record(TaskErrors errors, String userType, String task, Throwable error) {
        errors.record(userType, task, error);
    }
}
