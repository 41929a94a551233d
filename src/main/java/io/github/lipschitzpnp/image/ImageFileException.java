package io.github.lipschitzpnp.image;

import java.nio.file.Path;

/**
 * An image file that cannot be read or written as asked. The message names the file, the problem
 * and the fix, so the command line and Fiji can show it as is. Unchecked: it is an
 * {@link IllegalArgumentException} because the cause is (almost always) the argument the user gave.
 */
public class ImageFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ImageFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public ImageFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file concerned (may be null when there is none). */
    public Path file() {
        return file;
    }
}
