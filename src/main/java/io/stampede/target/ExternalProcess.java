package io.stampede.target;

import io.stampede.StampedeException;
import io.stampede.os.ProcStat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;

/**
 * A process Stampede did not start, found by PID or PID file. Only signals reach it, and they reach
 * the processes its {@link ProcessScope} names; it must exist when the run starts, and a scope that
 * holds PID 1, Stampede itself or its parent is refused.
 */
public final class ExternalProcess implements ProcessTarget {

    private final TargetSpec.External spec;
    private final long pid;

    public ExternalProcess(TargetSpec.External spec) {
        this.spec = spec;
        this.pid = resolvePid(spec);
        checkAllowed(spec.name(), pid);
        String unsafe = spec.scope().resolve(pid).unsafe();
        if (unsafe != null) {
            throw new StampedeException.BadInput("target " + spec.name() + ": scope " + spec.scope().key() + ": " + unsafe);
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public long pid() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : -1;
    }

    @Override
    public long pgid() {
        return pid() > 0 ? ProcStat.read(pid).map(ProcStat::pgrp).orElse(-1L) : -1;
    }

    @Override
    public URI url() {
        return spec.url();
    }

    /** The target's scope resolved now: a master's workers are found at each firing. */
    @Override
    public ProcessSet processes() {
        return spec.scope().resolve(pid);
    }

    /** Refuses PIDs whose damage would hit the machine or Stampede itself. */
    public static void checkAllowed(String name, long pid) {
        ProcessHandle self = ProcessHandle.current();
        if (pid == 1) {
            throw new StampedeException.BadInput("target " + name + ": PID 1 (init) is never a target");
        }
        if (pid == self.pid()) {
            throw new StampedeException.BadInput("target " + name + ": PID " + pid + " is Stampede itself");
        }
        if (self.parent().map(ProcessHandle::pid).orElse(-1L) == pid) {
            throw new StampedeException.BadInput("target " + name + ": PID " + pid + " is Stampede's parent");
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
            throw new StampedeException.BadInput("target " + name + ": no process with PID " + pid);
        }
    }

    private static long resolvePid(TargetSpec.External spec) {
        if (spec.pid().isPresent()) {
            return spec.pid().getAsLong();
        }
        try {
            return Long.parseLong(Files.readString(spec.pidFile()).strip());
        } catch (IOException e) {
            throw new StampedeException.BadInput("target " + spec.name() + ": cannot read PID file " + spec.pidFile()
                    + ": " + e.getMessage());
        } catch (NumberFormatException e) {
            throw new StampedeException.BadInput("target " + spec.name() + ": PID file " + spec.pidFile()
                    + " does not hold a number");
        }
    }
}
