package dev.clcrec.engine;

/**
 * A call into the native engine failed. {@link #status()} is the header's CLCREC_ERR_* code and the
 * message is the engine's own description of the problem (it names the offending argument), prefixed
 * with the operation that failed.
 */
public class ClcrecException extends RuntimeException {
    /** clcrec.h: null pointer, bad size, id out of range, NaN input. */
    public static final int INVALID_ARGUMENT = 1;
    /** clcrec.h: LibTorch or CUDA failure. */
    public static final int RUNTIME = 2;
    /** clcrec.h: checkpoint file missing, unreadable or corrupt. */
    public static final int IO = 3;
    /** clcrec.h: allocation failed. */
    public static final int OUT_OF_MEMORY = 4;
    /** clcrec.h: e.g. CUDA requested but not available. */
    public static final int UNSUPPORTED = 5;
    /** clcrec.h: rendezvous failed, a rank was lost, a collective timed out. */
    public static final int DISTRIBUTED = 6;
    /** clcrec.h: a training step's loss or gradient, or a model's scores, are NaN or infinite. */
    public static final int NOT_FINITE = 7;

    private static final long serialVersionUID = 1L;

    private final int status;

    public ClcrecException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The native status code (one of the constants above). */
    public int status() {
        return status;
    }
}
