package dev.clcrec.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses, with the HTTP status, a stable code, the offending field and a message;
 * rendered as {@code {"error": {"status": 400, "code": "bad_argument", "field": "k", "message": "..."}}}.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final String field;

    ApiError(int status, String code, String field, String message) {
        super(message, null, false, false); // control flow, not a failure: no stack trace
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiError badRequest(String field, String message) {
        return new ApiError(400, "bad_request", field, message);
    }

    /** The JSON body of an error reply, {@code {"error": {...}}}, as a map to serialise. */
    static Map<String, Object> body(int status, String code, String field, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("code", code);
        e.put("field", field);
        e.put("message", message);
        return Map.of("error", e);
    }
}
