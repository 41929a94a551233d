package io.github.lipschitzpnp.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** The user's device choice: {@code auto} takes a GPU when DJL sees one, else the CPU. */
public enum DeviceChoice {
    AUTO, CPU, GPU;

    /** Parses "auto", "cpu" or "gpu" (any case). */
    public static DeviceChoice parse(String text) {
        if (text == null) {
            return AUTO;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + text + "': use auto, cpu or gpu");
        }
    }

    /** The DJL device for this choice; {@code gpu} without a visible GPU is an error that says so. */
    public Device resolve() {
        int gpus = Engine.getInstance().getGpuCount();
        switch (this) {
            case CPU:
                return Device.cpu();
            case GPU:
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu was asked for but DJL sees no GPU "
                            + "(this build ships the CPU PyTorch library); use --device auto or cpu");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }
}
