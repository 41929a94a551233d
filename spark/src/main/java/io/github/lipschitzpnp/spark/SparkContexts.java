package io.github.lipschitzpnp.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark contexts the way this module wants them. */
public final class SparkContexts {

    /** The context {@link #start} made last (Spark allows one per JVM). */
    private static volatile JavaSparkContext current;

    private SparkContexts() {
    }

    /**
     * A configuration for {@code appName}; {@code master} (e.g. {@code local[2]}) only when not set
     * by spark-submit. In local mode the driver listens on loopback only and the UI is off.
     */
    public static SparkConf conf(String appName, String master) {
        SparkConf c = new SparkConf().setAppName(appName);
        if (master != null && !master.isBlank()) {
            c.setMaster(master);
        } else if (!c.contains("spark.master")) {
            c.setMaster("local[*]");
        }
        if (c.get("spark.master").startsWith("local")) {
            c.setIfMissing("spark.ui.enabled", "false");
            c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            c.setIfMissing("spark.driver.host", "127.0.0.1");
        }
        // Images and blocks travel as float arrays; Java serialization keeps records simple.
        c.setIfMissing("spark.task.maxFailures", "2");
        return c;
    }

    /** A context for one command: stopped at close only if this call created it. */
    public record Session(JavaSparkContext sc, boolean created) implements AutoCloseable {
        @Override
        public void close() {
            if (created) {
                sc.stop();
            }
        }
    }

    /** The running context of this JVM (tests, notebooks), or a new one. */
    public static Session open(String appName, String master) {
        JavaSparkContext running = current;
        if (running != null && !running.sc().isStopped()) {
            return new Session(running, false);
        }
        return new Session(start(appName, master), true);
    }

    public static JavaSparkContext start(String appName, String master) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        JavaSparkContext sc = new JavaSparkContext(conf(appName, master));
        sc.setLogLevel("WARN");
        current = sc;
        return sc;
    }
}
