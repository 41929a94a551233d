package io.github.lipschitzpnp.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes in scripts/probes back numbers quoted in docs/results.md and docs/models.md; they run
 * as single-file programs against the library, so nothing else would notice when an API change
 * breaks one. Each must compile against the current classes.
 */
class ProbesCompileTest {

    @Test
    void everyProbeCompilesAgainstTheLibrary(@TempDir Path out) throws IOException {
        Path dir = Path.of("scripts/probes");
        List<String> probes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> probes.add(p.toString()));
        }
        assertFalse(probes.isEmpty(), "no probes found in " + dir.toAbsolutePath());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools), not a JRE");
        for (String probe : probes) {
            // one at a time: every probe is a separate single-file program, several declare helpers of the same name
            java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
            List<String> args = List.of("-proc:none", "-d", out.resolve(Path.of(probe).getFileName().toString())
                    .toString(), "-cp", System.getProperty("java.class.path"), probe);
            int rc = javac.run(null, messages, messages, args.toArray(new String[0]));
            assertEquals(0, rc, probe + " no longer compiles against the library:\n" + messages);
        }
    }
}
