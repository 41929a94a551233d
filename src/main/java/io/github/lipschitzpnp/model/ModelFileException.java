package io.github.lipschitzpnp.model;

/** A model file that cannot be used; the message names the file, the problem and the fix. */
public class ModelFileException extends Exception {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
