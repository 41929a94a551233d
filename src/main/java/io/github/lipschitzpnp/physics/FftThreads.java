package io.github.lipschitzpnp.physics;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * JTransforms runs large FFTs on JLargeArrays' shared pool, whose default threads are not daemons:
 * a program that does not call System.exit then waits about a minute after its last FFT before the
 * JVM ends (measured: 68 s for a short convolution run). The first FFT user in this package swaps in
 * an equivalent cached pool of daemon threads, once per JVM.
 */
final class FftThreads {

    private static boolean done;

    private FftThreads() {
    }

    static synchronized void useDaemonThreads() {
        if (done) {
            return;
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lpnp-fft-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ConcurrencyUtils.setThreadPool(pool);
        done = true;
    }
}
