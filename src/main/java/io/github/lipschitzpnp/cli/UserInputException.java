package io.github.lipschitzpnp.cli;

/**
 * Bad input that the user can fix: the message names the problem and the fix. The CLI prints it
 * without a stack trace and exits with code 2.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
