package io.github.lipschitzpnp.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one task reports for one image.
 *
 * @param name    the input's file name
 * @param output  the written file (null on error)
 * @param ok      whether the image was processed and written
 * @param error   the reason it was not (null when ok)
 * @param seconds time in the task: read, process, write
 * @param psnr    PSNR against the reference in dB (null without a reference)
 * @param iterations solver iterations (1 for denoising)
 * @param executor the executor's host and JVM that ran it ("driver (N slice tasks)" for a stack)
 * @param slices  1 for an image; for a sinogram stack the number of slices (one task each), and
 *                then {@code seconds} is summed over them, {@code iterations} the most any ran and
 *                {@code psnr} is over the whole stack
 */
public record ImageRecord(String name, String output, boolean ok, String error, double seconds, Double psnr,
        int iterations, String executor, int slices) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ImageRecord(String name, String output, boolean ok, String error, double seconds, Double psnr,
            int iterations, String executor) {
        this(name, output, ok, error, seconds, psnr, iterations, executor, 1);
    }

    public static ImageRecord failed(String name, String error, double seconds, String executor) {
        return new ImageRecord(name, null, false, error, seconds, null, 0, executor);
    }

    /** The record as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("ok", ok);
        m.put("output", output);
        m.put("error", error);
        m.put("seconds", seconds);
        m.put("psnr", psnr);
        m.put("iterations", iterations);
        m.put("executor", executor);
        m.put("slices", slices);
        return m;
    }
}
