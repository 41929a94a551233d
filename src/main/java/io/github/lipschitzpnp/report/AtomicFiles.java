package io.github.lipschitzpnp.report;

import io.github.lipschitzpnp.image.ImageFileException;
import io.github.lipschitzpnp.image.ImageFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes files atomically, through the same mechanism as the image files ({@link ImageFiles#atomicWrite}). */
public final class AtomicFiles {

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        try {
            ImageFiles.atomicWrite(target, ImageFiles.WriteOptions.overwriting(), tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
            });
        } catch (ImageFileException e) {
            throw new IOException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
