package io.github.lipschitzpnp.spark;

import org.apache.spark.api.java.JavaSparkContext;

/** One local[2] context for all tests in the JVM (starting one costs seconds). */
final class LocalSpark {

    private static JavaSparkContext sc;

    private LocalSpark() {
    }

    static synchronized JavaSparkContext get() {
        if (sc == null) {
            sc = SparkContexts.start("lpnp-spark-tests", "local[2]");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sc.stop()));
        }
        return sc;
    }
}
