package dev.clcrec.engine;

import dev.clcrec.ffi.clcrec_h;
import java.lang.foreign.MemorySegment;

/** Turns the header's int status codes into {@link ClcrecException}s carrying the native message. */
final class Status {
    private Status() {}

    /**
     * Throws if status is not CLCREC_OK. The message comes from clcrec_last_error, which is
     * thread-local on the native side; it is read right after the failed call on the same thread,
     * with nothing in between that could let another call on this thread overwrite it.
     */
    static void check(int status, String operation) {
        if (status != clcrec_h.CLCREC_OK()) {
            throw new ClcrecException(status, operation + " failed (" + name(status) + "): " + lastError());
        }
    }

    static String lastError() {
        MemorySegment message = clcrec_h.clcrec_last_error();
        if (message.equals(MemorySegment.NULL)) {
            return "(no message)";
        }
        String text = message.getString(0);
        return text.isEmpty() ? "(no message)" : text;
    }

    static String name(int status) {
        return switch (status) {
            case ClcrecException.INVALID_ARGUMENT -> "invalid argument";
            case ClcrecException.RUNTIME -> "runtime error";
            case ClcrecException.IO -> "I/O error";
            case ClcrecException.OUT_OF_MEMORY -> "out of memory";
            case ClcrecException.UNSUPPORTED -> "unsupported";
            case ClcrecException.DISTRIBUTED -> "distributed";
            case ClcrecException.NOT_FINITE -> "not finite";
            default -> "status " + status;
        };
    }
}
