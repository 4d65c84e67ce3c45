package dev.clcrec.data;

/**
 * A dataset file or directory is missing, malformed or inconsistent. The message names the file,
 * the row or field, and what was expected.
 */
public class DatasetFormatException extends RuntimeException {
    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
