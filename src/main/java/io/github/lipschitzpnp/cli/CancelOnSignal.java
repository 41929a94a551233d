package io.github.lipschitzpnp.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT/SIGTERM) during a reconstruction: a shutdown hook raises the flag that the
 * solver's listener reads between iterations, then holds the JVM open (up to a minute) until the
 * command has written its last iterate and closed this object.
 */
final class CancelOnSignal implements AutoCloseable {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    CancelOnSignal() {
        hook = new Thread(() -> {
            cancelled.set(true);
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lpnp-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once Ctrl-C was pressed (or {@link #cancel()} called). */
    boolean cancelled() {
        return cancelled.get();
    }

    /** Raises the flag as Ctrl-C would (tests). */
    void cancel() {
        cancelled.set(true);
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running; it returns now that done is counted down
        }
    }
}
