package io.github.djlseq2seq.examples;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a graceful stop of a training, in place of the JVM's
 * default (shutdown hooks, then exit while the training thread may still be inside libtorch).
 *
 * <p>The first signal calls the stop action (the training finishes its step and writes a
 * checkpoint); {@link #exitStatus} is then the shell's status for that signal, 128 + its number:
 * 130 for SIGINT, 143 for SIGTERM. A second signal aborts at once: the process restores the
 * operating system's default action for the signal and raises it again, so it dies of the signal
 * without running any exit code (no shutdown hook or C++ destructor can race a libtorch call); the
 * checkpoints on disk are intact, as after {@code kill -9}. Where a signal cannot be handled (e.g.
 * under {@code java -Xrs}) a warning says so and that signal keeps the JVM's behaviour.
 */
final class StopOnSignal implements AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Runnable stop;
    private final PrintStream err;
    private final AtomicReference<Signal> received = new AtomicReference<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopOnSignal(Runnable stop, PrintStream err) {
        this.stop = stop;
        this.err = err;
    }

    /**
     * Installs the handlers for SIGINT and SIGTERM.
     *
     * @param stop what the first signal does: request the training's stop
     * @param err where the one-line notices go
     * @return the handlers, to {@link #close} once training is over
     */
    static StopOnSignal install(Runnable stop, PrintStream err) {
        StopOnSignal handlers = new StopOnSignal(stop, err);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                handlers.previous.put(signal, Signal.handle(signal, handlers::handle));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                err.println(
                        "warning: SIG"
                                + name
                                + " not handled ("
                                + e.getMessage()
                                + "): it stops the training without a checkpoint");
            }
        }
        return handlers;
    }

    /**
     * Returns the exit status for the signal received, if any.
     *
     * @return 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), or 0 when none came
     */
    int exitStatus() {
        Signal signal = received.get();
        return signal == null ? 0 : 128 + signal.getNumber();
    }

    private void handle(Signal signal) {
        if (received.compareAndSet(null, signal)) {
            err.println(
                    "SIG"
                            + signal.getName()
                            + ": stopping after the current step and writing a checkpoint"
                            + " (SIG"
                            + signal.getName()
                            + " again aborts at once)");
            stop.run();
            return;
        }
        err.println(
                "SIG"
                        + signal.getName()
                        + " again: aborting now; the checkpoints already written are intact");
        err.flush();
        abort(signal);
    }

    /** Dies of the signal (the system's default action); Runtime.halt if that fails. */
    private static void abort(Signal signal) {
        try {
            Signal.handle(signal, SignalHandler.SIG_DFL);
            Signal.raise(signal);
            Thread.sleep(2000); // the signal is delivered asynchronously
        } catch (IllegalArgumentException e) {
            // cannot restore the default action: halt below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }

    /** Restores the handlers that were there before {@link #install}. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
