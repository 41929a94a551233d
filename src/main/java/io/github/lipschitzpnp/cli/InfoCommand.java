package io.github.lipschitzpnp.cli;

import ai.djl.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpnp info}: versions, engine and device, to check an installation. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the deep-learning engine, its version and the device that would be used.")
public final class InfoCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public Integer call() {
        Engine engine = Engine.getInstance();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", engine.getEngineName());
        out.put("engine_version", engine.getVersion());
        out.put("gpu_count", engine.getGpuCount());
        out.put("device", common.device().toString());
        out.put("java", System.getProperty("java.version"));
        common.say("engine " + out.get("engine") + " " + out.get("engine_version") + ", device "
                + out.get("device") + ", GPUs visible: " + out.get("gpu_count"));
        common.finish(out, System.out);
        return 0;
    }
}
