package io.github.lipschitzpnp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.lipschitzpnp.model.ModelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input listing, output names and the driver-side model checks (no Spark context). */
class InputsTest {

    @TempDir
    Path tmp;

    @Test
    void folderListsImagesSortedAndListFilesResolveAgainstTheirFolder() throws Exception {
        Files.createFile(tmp.resolve("b.png"));
        Files.createFile(tmp.resolve("a.TIF"));
        Files.createFile(tmp.resolve("notes.txt"));
        Files.createFile(tmp.resolve(".a.tif.123.tmp.tif"));
        assertEquals(List.of(tmp.resolve("a.TIF"), tmp.resolve("b.png")), BatchJob.inputs(tmp));
        Path list = Files.writeString(tmp.resolve("list.txt"), "# inputs\nb.png\n\n/abs/c.tif\n");
        assertEquals(List.of(tmp.toAbsolutePath().resolve("b.png"), Path.of("/abs/c.tif")), BatchJob.inputs(list));
        assertEquals("a.tif", BatchJob.outputName("a.TIF"));
        assertEquals("stack.ome.tif", BatchJob.outputName("stack.ome.tiff"));
    }

    @Test
    void modelSourcesAreCheckedOnTheDriver() throws Exception {
        ModelSource m = ModelSource.of("gauss15");
        assertEquals("bundled:gauss15", m.origin());
        assertEquals("cpu", m.device());
        assertEquals("auto", m.onDevice("auto").device());
        assertThrows(IllegalArgumentException.class, () -> m.onDevice("tpu"));
        assertThrows(ModelFileException.class, () -> ModelSource.of("no-such-model"));
        Path bad = Files.write(tmp.resolve("bad.lpnp.zip"), new byte[] {1, 2, 3});
        assertThrows(ModelFileException.class, () -> ModelSource.of(bad.toString()));
    }
}
